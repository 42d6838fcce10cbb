export { evaluate, Evaluation, type EvaluateOptions, type Mistake } from "./evaluate.js";
export { predict, Prediction, toGreyImage, type ImageInput, type PredictOptions } from "./predict.js";
export { confusionMatrix, perClassMetrics, argmaxRows, macroAverage, type ClassMetrics } from "./metrics.js";
export { inferencePass, type PassOptions, type PassResult } from "./pass.js";
