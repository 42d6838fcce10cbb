/**
 * Saving and loading models as a folder (model.json + weights.bin) with our
 * own tf.io handler: tfjs's `file://` handler needs tfjs-node, which does not
 * install here, and this one works on every backend. The whole folder is
 * written atomically: into a temp folder beside it, then renamed into place,
 * so a crash or a full disk never leaves a half-written model.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

export type FolderFiles = Record<string, string | Uint8Array>;

/** Writes `files` into `dir` as one unit: temp folder, then rename; the old folder is replaced. */
export function writeFolderAtomic(dir: string, files: FolderFiles): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temp = `${target}.tmp-${stamp}`;
  const old = `${target}.old-${stamp}`;
  try {
    mkdirSync(temp);
    for (const [name, data] of Object.entries(files)) writeFileSync(join(temp, name), data);
    if (existsSync(target)) renameSync(target, old);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
}

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** The files a model's artifacts become: model.json (topology + manifest) and weights.bin. */
export function artifactsToFiles(artifacts: tf.io.ModelArtifacts): FolderFiles {
  const json = {
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  return { [MODEL_FILE]: JSON.stringify(json), [WEIGHTS_FILE]: weightBytes(artifacts.weightData) };
}

/** Reads a binary file fully, naming the folder and file when it is missing. */
export function readFolderFile(dir: string, name: string): Buffer {
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${dir} is not a complete saved model/checkpoint folder`);
  return readFileSync(path);
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Checks that a weights file holds exactly the bytes its manifest describes. */
export function checkWeightBytes(path: string, specs: tf.io.WeightsManifestEntry[], bytes: number): void {
  const bytesPer: Record<string, number> = { float32: 4, int32: 4, bool: 1, string: 0, complex64: 8 };
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1) * (bytesPer[s.dtype] ?? 4), 0);
  if (expected !== bytes) throw new Error(`${path} holds ${bytes} bytes but its manifest describes ${expected}: the file is truncated or from another model`);
}

export function filesToArtifacts(dir: string): tf.io.ModelArtifacts {
  const modelPath = join(dir, MODEL_FILE);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFolderFile(dir, MODEL_FILE).toString("utf8")) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`Cannot read ${modelPath}: ${(error as Error).message}`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const bytes = readFolderFile(dir, WEIGHTS_FILE);
  checkWeightBytes(join(dir, WEIGHTS_FILE), specs, bytes.byteLength);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: specs,
    weightData: toArrayBuffer(bytes),
  };
}

/**
 * A tf.io handler for a folder: `model.save(folderIO(dir))`,
 * `tf.loadLayersModel(folderIO(dir))`. `extraFiles` are written in the same
 * atomic step (a checkpoint's optimizer state and training state).
 */
export function folderIO(dir: string, extraFiles: () => FolderFiles | Promise<FolderFiles> = () => ({})): tf.io.IOHandler {
  return {
    async save(artifacts) {
      const files = { ...artifactsToFiles(artifacts), ...(await extraFiles()) };
      writeFolderAtomic(dir, files);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: "JSON",
          modelTopologyBytes: (files[MODEL_FILE] as string).length,
          weightDataBytes: (files[WEIGHTS_FILE] as Uint8Array).byteLength,
        },
      };
    },
    async load() {
      return filesToArtifacts(dir);
    },
  };
}

/** Saves a model (topology + weights + metadata) to a folder, atomically. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(folderIO(dir));
}

/** Loads a model saved by saveModel or saveCheckpoint. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(folderIO(dir));
}

/** An independent copy of a model (own weights), e.g. to fine-tune without touching the pretrained one. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}
