/**
 * What a trained model must remember to be used later: how its input pixels
 * were normalized and its class names. Kept in tf.layers' user-defined
 * metadata, so it is saved in model.json with the model.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Normalization } from "../data/types.js";

export interface ModelInfo {
  normalization?: Normalization;
  classNames?: string[];
}

export function modelInfo(model: tf.LayersModel): ModelInfo {
  return ((model.getUserDefinedMetadata() as { mnistLab?: ModelInfo } | undefined)?.mnistLab ?? {}) as ModelInfo;
}

export function setModelInfo(model: tf.LayersModel, info: ModelInfo): void {
  const current = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  model.setUserDefinedMetadata({ ...current, mnistLab: { ...modelInfo(model), ...info } });
}
