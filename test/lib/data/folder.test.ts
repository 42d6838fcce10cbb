import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DISPLAY } from "../../../lib/src/display/bundle.js";
import { loadIdxFolder } from "../../../lib/src/data/folder.js";
import { encodeIdx, IdxFormatError } from "../../../lib/src/data/idx.js";
import { FILE_NAMES, tempDir, tinyDatasetFiles, writeFiles } from "./fixtures.js";

const tmp = tempDir();
afterAll(tmp.cleanup);

function folder(name: string, files: Record<string, Uint8Array>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, files);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => { throw new Error("expected a failure"); }, (e: Error) => e);
}

describe("loadIdxFolder", () => {
  it("loads the four raw files: counts, sizes, labels, pixels, class names", async () => {
    const dir = folder("raw", tinyDatasetFiles({ train: 40, test: 20 }));
    const data = await loadIdxFolder(dir, { name: "tiny" });
    expect(data.name).toBe("tiny");
    expect(data.source).toBe(`folder ${dir}`);
    expect([data.train.count, data.test.count]).toEqual([40, 20]);
    expect([data.train.height, data.train.width]).toEqual([4, 3]);
    expect(data.train.name).toBe("tiny/train");
    expect(Array.from(data.train.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(data.train.images[13 * 12]).toBe(13); // first pixel = index
    expect(data.train.images[13 * 12 + 5]).toBe(30); // others = label × 10
    expect(data.train.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  it("loads gzip files and other datasets' naming (EMNIST-style prefix, .idx3-ubyte with dots)", async () => {
    const gz = folder("gz", tinyDatasetFiles({ gzip: true }));
    expect((await loadIdxFolder(gz)).train.count).toBe(40);
    const renamed = Object.fromEntries(
      Object.entries(tinyDatasetFiles()).map(([n, b]) => [`emnist-digits-${n.replace("t10k", "test").replace("-idx", ".idx")}`, b]),
    );
    const emnist = folder("emnist", renamed);
    const data = await loadIdxFolder(emnist, { name: "emnist-digits", classNames: "abcdefghij".split("") });
    expect(data.test.count).toBe(20);
    expect(data.test.classNames[3]).toBe("d");
  });

  it("names the missing files", async () => {
    const files = tinyDatasetFiles();
    delete files[FILE_NAMES.testLabels];
    const dir = folder("missing", files);
    expect((await failure(loadIdxFolder(dir))).message).toMatch(/no test labels file/);
  });

  it("rejects image and label counts that differ, naming both files", async () => {
    const files = tinyDatasetFiles({ train: 40 });
    files[FILE_NAMES.trainLabels] = encodeIdx("uint8", [39], new Array(39).fill(1));
    const dir = folder("count", files);
    const error = await failure(loadIdxFolder(dir));
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toMatch(/train-labels-idx1-ubyte: 39 labels, but .*train-images-idx3-ubyte has 40 images/);
  });

  it("rejects labels out of range for the class names", async () => {
    const files = tinyDatasetFiles({ test: 20 });
    const labels = new Array(20).fill(0);
    labels[7] = 10;
    files[FILE_NAMES.testLabels] = encodeIdx("uint8", [20], labels);
    const dir = folder("range", files);
    const error = await failure(loadIdxFolder(dir, { classNames: "0123456789".split("") }));
    expect(error.message).toMatch(/t10k-labels-idx1-ubyte: label 10 at index 7 is out of range for 10 classes \(0\.\.9\)/);
  });

  it("rejects files of the wrong type or rank", async () => {
    const files = tinyDatasetFiles();
    files[FILE_NAMES.trainImages] = encodeIdx("float32", [40, 4, 3], new Array(480).fill(0));
    const dir = folder("type", files);
    expect((await failure(loadIdxFolder(dir))).message).toMatch(/train-images-idx3-ubyte: expected uint8 images of rank 3.*found float32/);
  });

  it("a dataset and its sets display a summary with per-class counts (text and HTML)", async () => {
    const dir = folder("display", tinyDatasetFiles({ train: 40, test: 20 }));
    const data = await loadIdxFolder(dir, { name: "tiny" });
    const setBundle = (data.train as unknown as { [DISPLAY](): Record<string, string> })[DISPLAY]();
    expect(setBundle["text/plain"]).toMatch(/^tiny\/train: 40 images 4×3 uint8, 10 classes\n\s+0\s+4\s+10\.0%/);
    expect(setBundle["text/html"]).toContain("<table>");
    const bundle = (data as unknown as { [DISPLAY](): Record<string, string> })[DISPLAY]();
    expect(bundle["text/plain"]).toContain(`tiny (from folder ${dir})`);
    expect(bundle["text/html"]).toMatch(/tiny\/train.*tiny\/test/s);
    expect(Object.keys(data)).toEqual(["name", "train", "test", "source"]); // display is non-enumerable
    writeFileSync(join(dir, "unrelated.txt"), "ignored");
    expect((await loadIdxFolder(dir)).train.count).toBe(40);
  });
});
