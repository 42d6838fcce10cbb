import type * as tf from "@tensorflow/tfjs";
import type { History } from "./history.js";
import type { ResolvedSettings } from "./options.js";

/** Everything needed to continue a training run exactly where it stopped. */
export interface Checkpoint {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  history: History;
  /** The epoch (0-based) training continues with. */
  nextEpoch: number;
  /** Which weights (positions in layer order) the optimizer updates, in its state's order. */
  variableOrder: number[];
  settings: ResolvedSettings;
}
