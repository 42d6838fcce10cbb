/** Classification metrics from labels and predictions: plain arithmetic, no tensors. */

/** counts[true][predicted]. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: number): number[][] {
  if (labels.length !== predictions.length) {
    throw new Error(`confusionMatrix: ${labels.length} labels but ${predictions.length} predictions`);
  }
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predictions[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new Error(`confusionMatrix: item ${i} has label ${t} / prediction ${p}, outside 0…${classes - 1}`);
    }
    matrix[t][p]++;
  }
  return matrix;
}

export interface ClassMetrics {
  className: string;
  /** Of the images predicted as this class, the share that are. 0 when none is predicted. */
  precision: number;
  /** Of the images of this class, the share predicted as it (the class's accuracy). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Images of this class. */
  support: number;
}

export function perClassMetrics(matrix: readonly (readonly number[])[], classNames: readonly string[]): ClassMetrics[] {
  return classNames.map((className, c) => {
    const tp = matrix[c][c];
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[c], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { className, precision, recall, f1, support };
  });
}

/** Arg-max of each row of a row-major [n, classes] matrix. */
export function argmaxRows(values: Float32Array, classes: number): Uint8Array {
  const n = values.length / classes;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[i * classes + c] > values[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function macroAverage(metrics: readonly ClassMetrics[], key: "precision" | "recall" | "f1"): number {
  return metrics.length === 0 ? 0 : metrics.reduce((s, m) => s + m[key], 0) / metrics.length;
}
