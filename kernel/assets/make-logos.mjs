// Regenerates the kernelspec logos: node kernel/assets/make-logos.mjs (from the repo root).
import { encode } from "fast-png";
import { writeFileSync } from "fs";
// an MNIST-style handwritten "7" on TypeScript blue, 8x8 cells
const art = [
  "........",
  ".######.",
  ".#####..",
  ".....#..",
  "....##..",
  "....#...",
  "...##...",
  "........",
];
for (const size of [32, 64]) {
  const data = new Uint8Array(size * size * 4);
  const cell = size / 8;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const on = art[Math.floor(y / cell)][Math.floor(x / cell)] === "#";
    const i = (y * size + x) * 4;
    data.set(on ? [255, 255, 255, 255] : [49, 120, 198, 255], i);
  }
  writeFileSync(`kernel/assets/logo-${size}x${size}.png`, encode({ width: size, height: size, data, channels: 4, depth: 8 }));
}
let rects = "";
art.forEach((row, y) => [...row].forEach((c, x) => { if (c === "#") rects += `<rect x="${x}" y="${y}" width="1" height="1"/>`; }));
writeFileSync("kernel/assets/logo-svg.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" width="64" height="64" shape-rendering="crispEdges"><rect width="8" height="8" fill="#3178c6"/><g fill="#fff">${rects}</g></svg>\n`);
