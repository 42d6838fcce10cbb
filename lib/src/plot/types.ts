/** What the plot functions read from a training history (train/ produces it). */
export interface BatchRecord {
  epoch: number;
  batch: number;
  /** global step, counted over all epochs */
  step: number;
  loss: number;
  accuracy: number;
  lr?: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
}

export interface HistoryLike {
  batches: readonly BatchRecord[];
  epochs: readonly EpochRecord[];
}

export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

/** Most rows one chart bundle carries: per-batch series are downsampled to fit. */
export const MAX_POINTS = 2000;
