/** A PNG image as a displayable value: shows inline as image/png, saves as a .png file. */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DISPLAY, type Displayable, type MimeBundle } from "../../display/bundle.js";
import { writeFileAtomic } from "../../util/atomic-write.js";

export class ImageDisplay implements Displayable {
  private base64?: string;

  constructor(
    /** encoded PNG bytes */
    readonly png: Uint8Array,
    readonly width: number,
    readonly height: number,
    /** one line shown where images are not */
    readonly description: string,
  ) {}

  toPNG(): Uint8Array {
    return this.png;
  }

  async save(path: string): Promise<void> {
    if (!path.toLowerCase().endsWith(".png")) throw new Error(`ImageDisplay.save("${path}"): images save as .png only`);
    const target = resolve(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, this.png);
  }

  [DISPLAY](): MimeBundle {
    this.base64 ??= Buffer.from(this.png).toString("base64");
    return { "image/png": this.base64, "text/plain": this.description };
  }
}
