export { train, TrainingDivergedError, type TrainOptions, type TrainCallbacks, type BatchLogs, type EarlyStopping, type ResolvedSettings } from "./train.js";
export { History, type HistoryJSON } from "./history.js";
export { seedRecipe, improvedRecipe, fineTuneRecipe, type Recipe } from "./recipes.js";
export { makeOptimizer, setLearningRate, describeOptimizer, type OptimizerSpec } from "./optimizers.js";
export { learningRateAt, type LrSchedule } from "./schedules.js";
export { saveCheckpoint, loadCheckpoint, type Checkpoint } from "./checkpoint.js";
export { resumeTraining } from "./resume.js";
export { fineTune, transferExperiment, TransferResult, type FineTuneOptions, type TransferExperimentOptions, type RunResult } from "./finetune.js";
export { formatDuration } from "./progress.js";
