/**
 * Verified downloads: each file is fetched from a list of mirrors in turn
 * (with an idle timeout), streamed into a temp file beside its destination
 * while its size and hash are computed, and renamed into place only when
 * both match. A failed, partial or corrupt download never becomes a file.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { currentSignal } from "../display/host.js";
import { ProgressBar } from "../util/progress.js";

/** A published file: its name on the mirrors, its size in bytes and its checksum(s). */
export interface RemoteFile {
  name: string;
  size: number;
  md5?: string;
  sha256?: string;
}

export interface DownloadOptions {
  /** Give up on a mirror after this long without data (default 30 s). */
  timeoutMs?: number;
  /** Show a progress bar (default true). */
  progress?: boolean;
}

/** Every mirror failed; `attempts` says why for each. */
export class DownloadError extends Error {
  constructor(readonly file: string, readonly attempts: string[]) {
    super(`could not download ${file}:\n${attempts.map((a) => `    - ${a}`).join("\n")}`);
    this.name = "DownloadError";
  }
}

/** Downloads `file` into `destDir` from the first mirror that serves it intact; returns its path. */
export async function downloadVerified(file: RemoteFile, mirrors: readonly string[], destDir: string, options: DownloadOptions = {}): Promise<string> {
  if (!file.md5 && !file.sha256) throw new Error(`${file.name}: no checksum recorded, refusing to download unverified data`);
  await mkdir(destDir, { recursive: true });
  const target = join(destDir, file.name);
  const attempts: string[] = [];
  for (const mirror of mirrors) {
    const url = new URL(file.name, mirror.endsWith("/") ? mirror : `${mirror}/`).toString();
    const temp = join(destDir, `.${file.name}.${process.pid}.${Date.now().toString(36)}.part`);
    try {
      await fetchInto(url, temp, file, options);
      await rename(temp, target);
      return target;
    } catch (error) {
      await rm(temp, { force: true });
      attempts.push(`${url}: ${(error as Error).message}`);
      if (currentSignal()?.aborted) break;
    }
  }
  throw new DownloadError(file.name, attempts);
}

async function fetchInto(url: string, temp: string, file: RemoteFile, options: DownloadOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const response = await get(url, timeoutMs, 5);
  const md5 = createHash("md5");
  const sha256 = createHash("sha256");
  let received = 0;
  const bar = options.progress === false ? undefined : new ProgressBar({ label: `Downloading ${file.name}`, total: file.size, unit: "B" });
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > file.size) return callback(new Error(`more than the expected ${file.size} bytes`));
      if (file.md5) md5.update(chunk);
      if (file.sha256) sha256.update(chunk);
      bar?.update(received);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, meter, createWriteStream(temp), { signal: currentSignal() });
    if (received !== file.size) throw new Error(`incomplete: ${received} of ${file.size} bytes`);
    checkDigest("MD5", file.md5, md5);
    checkDigest("SHA-256", file.sha256, sha256);
    bar?.finish("verified");
  } catch (error) {
    bar?.finish(`failed: ${(error as Error).message}`);
    throw error;
  }
}

function checkDigest(algorithm: string, expected: string | undefined, hash: ReturnType<typeof createHash>): void {
  if (!expected) return;
  const actual = hash.digest("hex");
  if (actual !== expected) throw new Error(`${algorithm} checksum mismatch (expected ${expected}, got ${actual})`);
}

/** GET with redirects and an idle timeout; resolves with a 200 response. */
function get(url: string, timeoutMs: number, redirectsLeft: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith("https:") ? https : http;
    const request = client.get(url, { signal: currentSignal() }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirectsLeft <= 0) return reject(new Error("too many redirects"));
        const next = new URL(response.headers.location, url).toString();
        return get(next, timeoutMs, redirectsLeft - 1).then(resolve, reject);
      }
      if (status !== 200) {
        response.resume();
        return reject(new Error(`HTTP ${status} ${response.statusMessage ?? ""}`.trim()));
      }
      resolve(response);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`timed out after ${timeoutMs} ms without data`)));
    request.on("error", reject);
  });
}
