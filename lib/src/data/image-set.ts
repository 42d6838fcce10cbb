/**
 * Building ImageSets and Datasets that show themselves: a summary with
 * per-class counts in a notebook (text/plain + text/html), and the same text
 * from console.log in a script (instead of 47 million bytes).
 */
import { inspect } from "node:util";
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import type { Dataset, ImageSet } from "./types.js";

export interface ImageSetFields {
  name: string;
  images: Uint8Array;
  labels: Uint8Array;
  count?: number;
  height: number;
  width: number;
  classNames: readonly string[];
}

/** An ImageSet (plain fields) with a non-enumerable display method. */
export function makeImageSet(fields: ImageSetFields): ImageSet {
  const count = fields.count ?? fields.labels.length;
  if (fields.labels.length !== count) throw new Error(`${fields.name}: ${fields.labels.length} labels for ${count} images`);
  if (fields.images.length !== count * fields.height * fields.width) {
    throw new Error(`${fields.name}: ${fields.images.length} pixels do not make ${count} images of ${fields.height}×${fields.width}`);
  }
  const set: ImageSet = {
    name: fields.name,
    images: fields.images,
    labels: fields.labels,
    count,
    height: fields.height,
    width: fields.width,
    classNames: Object.freeze([...fields.classNames]),
  };
  return withDisplay(set, () => imageSetBundle(set));
}

/** A Dataset (plain fields) with a non-enumerable display method. */
export function makeDataset(fields: Dataset): Dataset {
  const dataset: Dataset = { name: fields.name, train: fields.train, test: fields.test, source: fields.source };
  return withDisplay(dataset, () => datasetBundle(dataset));
}

/** Per-class counts (index = class). */
export function classCounts(set: ImageSet): number[] {
  const counts = new Array<number>(set.classNames.length).fill(0);
  const labels = set.labels;
  for (let i = 0; i < set.count; i++) counts[labels[i]] = (counts[labels[i]] ?? 0) + 1;
  return counts;
}

function withDisplay<T extends object>(value: T, bundle: () => MimeBundle): T {
  Object.defineProperty(value, DISPLAY, { value: bundle, enumerable: false });
  Object.defineProperty(value, inspect.custom, { value: () => bundle()["text/plain"], enumerable: false });
  return value;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (n: number, total: number) => (total === 0 ? "0.0" : ((100 * n) / total).toFixed(1));

function headline(set: ImageSet): string {
  return `${set.name}: ${fmt(set.count)} images ${set.height}×${set.width} uint8, ${set.classNames.length} classes`;
}

export function imageSetText(set: ImageSet): string {
  const counts = classCounts(set);
  const width = Math.max(...set.classNames.map((c) => c.length), 1);
  const rows = counts.map((n, c) => `  ${set.classNames[c].padEnd(width)}  ${fmt(n).padStart(7)}  ${pct(n, set.count).padStart(5)}%`);
  return [headline(set), ...rows].join("\n");
}

function imageSetBundle(set: ImageSet): MimeBundle {
  return { "text/plain": imageSetText(set), "text/html": countsTable(`<b>${esc(set.name)}</b>`, set.classNames, [set]) };
}

function datasetBundle(dataset: Dataset): MimeBundle {
  const { train, test } = dataset;
  const text = [
    `${dataset.name} (from ${dataset.source})`,
    ...[train, test].map((set) => imageSetText(set).replace(/^/gm, "  ")),
  ].join("\n");
  const title = `<b>${esc(dataset.name)}</b> <span style="color:#666">from ${esc(dataset.source)}</span>`;
  return { "text/plain": text, "text/html": countsTable(title, train.classNames, [train, test]) };
}

/** One table: a row per class, a column (count, share, bar) per set. */
function countsTable(title: string, classNames: readonly string[], sets: ImageSet[]): string {
  const counts = sets.map(classCounts);
  const max = Math.max(1, ...counts.map((c) => Math.max(...c)));
  const head = sets
    .map((s) => `<th style="text-align:left">${esc(s.name)}<br><span style="font-weight:normal">${fmt(s.count)} × ${s.height}×${s.width}</span></th>`)
    .join("");
  const rows = classNames
    .map((name, c) => {
      const cells = sets
        .map((s, k) => {
          const n = counts[k][c] ?? 0;
          const bar = `<span style="display:inline-block;height:0.7em;width:${((6 * n) / max).toFixed(2)}em;background:#4c78a8"></span>`;
          return `<td style="text-align:right">${fmt(n)} <span style="color:#666">(${pct(n, s.count)}%)</span> ${bar}</td>`;
        })
        .join("");
      return `<tr><td>${c}</td><td>${esc(name)}</td>${cells}</tr>`;
    })
    .join("");
  return `<div class="mnist-lab-dataset"><div>${title}</div><table><thead><tr><th>label</th><th>class</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
