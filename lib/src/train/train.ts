/**
 * train(model, data, options): our own training loop over batches(), so every
 * batch is observable (loss, accuracy, timing), interruptible at its boundary,
 * reproducible from a seed, and checkpointable with its optimizer state.
 */
import * as tf from "@tensorflow/tfjs";
import { ready } from "../backend/choose.js";
import { batchCount, batches } from "../data/batches.js";
import type { Dataset, ImageSet, Normalization } from "../data/types.js";
import { currentSignal } from "../display/host.js";
import { inferencePass } from "../eval/pass.js";
import { checkHookup, checkInputShape, checkOutputClasses } from "../model/hookup.js";
import { setModelInfo } from "../model/metadata.js";
import { outputsProbabilities } from "../model/outputs.js";
import { unfreeze } from "../model/transfer.js";
import { saveCheckpoint } from "./checkpoint.js";
import { reseedDropout } from "./dropout.js";
import { earlyStoppingState } from "./early-stopping.js";
import { History, type BatchRecord, type EpochRecord } from "./history.js";
import { isOptimizer, resolveSettings, type TrainOptions } from "./options.js";
import { describeOptimizer, disposeOptimizer, makeOptimizer, setLearningRate } from "./optimizers.js";
import { TrainingProgress } from "./progress.js";
import { learningRateAt } from "./schedules.js";
import { trainStep } from "./step.js";
import { nextVariableOrder, variablesAt } from "./variables.js";

export type { TrainOptions, TrainCallbacks, BatchLogs, EarlyStopping, ResolvedSettings } from "./options.js";

export class TrainingDivergedError extends Error {
  constructor(message: string, readonly history: History) {
    super(message);
    this.name = "TrainingDivergedError";
  }
}

function trainingSet(data: ImageSet | Dataset): ImageSet {
  return "train" in data ? data.train : data;
}

/** Lets the event loop run (kernel messages such as an interrupt) between batches. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Trains `model` on `data` and returns its History. Defaults are the seed's
 * recipe (SGD lr 0.01 momentum 0.9, batch 32, symmetric normalization).
 * An interrupt stops at the next batch boundary, keeping the weights and the
 * history (marked interrupted); a NaN/inf loss throws TrainingDivergedError.
 */
export async function train(model: tf.LayersModel, data: ImageSet | Dataset, options: TrainOptions = {}): Promise<History> {
  await ready();
  const set = trainingSet(data);
  const settings = resolveSettings(options);
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) throw new Error(`epochs must be a positive integer, got ${settings.epochs}`);
  checkHookup(model);
  checkInputShape(model, [set.height, set.width, 1]);
  checkOutputClasses(model, set.classNames.length, set.name);
  if (options.validation) checkOutputClasses(model, options.validation.classNames.length, options.validation.name);
  if (model.trainableWeights.length === 0) throw new Error(`Model "${model.name}" has no trainable weights: every layer is frozen (use unfreeze())`);
  setModelInfo(model, { normalization: settings.normalization, classNames: [...set.classNames] });

  const resume = options.resume;
  const describe = settings.optimizer ? describeOptimizer(settings.optimizer) : "custom optimizer";
  const history = resume ? resume.history : new History(settings.seed, `${settings.recipe}: ${describe}, batch ${settings.batchSize}`);
  history.interrupted = false;
  history.stopReason = undefined;
  history.backend = tf.getBackend();
  const firstEpoch = resume ? resume.nextEpoch : 0;
  const given = isOptimizer(options.optimizer) ? options.optimizer : undefined;
  let optimizer = resume?.optimizer ?? given ?? makeOptimizer(settings.optimizer!);
  let varIndices = resume?.variableOrder;

  const signal = options.signal ?? currentSignal();
  const classes = set.classNames.length;
  const probsOut = outputsProbabilities(model);
  const perEpoch = batchCount(set, { batchSize: settings.batchSize });
  const progress = new TrainingProgress(history, settings.epochs, firstEpoch, perEpoch, options);
  const early = earlyStoppingState(options, model);
  let step = history.batches.length;
  let endMessage = "done";

  try {
    epochs: for (let epoch = firstEpoch; epoch < settings.epochs; epoch++) {
      for (const u of options.unfreeze ?? []) if (u.epoch === epoch) unfreeze(model, u.from);
      const next = nextVariableOrder(model, varIndices);
      if (next.reset && !given) {
        disposeOptimizer(optimizer);
        optimizer = makeOptimizer(settings.optimizer!);
      }
      varIndices = next.indices;
      const vars = variablesAt(model, varIndices);
      const lr = learningRateAt(settings.schedule, epoch, settings.baseLr, settings.epochs);
      if (!given || options.schedule) setLearningRate(optimizer, lr);
      await options.callbacks?.onEpochStart?.(epoch, lr);

      const started = performance.now();
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let batchIndex = 0;
      const iterator = batches(set, {
        batchSize: settings.batchSize,
        shuffle: true,
        seed: settings.seed,
        epoch,
        normalization: settings.normalization,
        labels: "int32",
        augment: settings.augment,
      })[Symbol.iterator]();
      for (;;) {
        await yieldToEventLoop();
        if (signal?.aborted) {
          history.interrupted = true;
          history.stopReason = `interrupted at epoch ${epoch + 1}, batch ${batchIndex + 1}: weights and history so far are kept`;
          endMessage = `interrupted (epoch ${epoch + 1}, batch ${batchIndex + 1}); weights and history kept`;
          break epochs;
        }
        const item = iterator.next();
        if (item.done) break;
        const batch = item.value;
        reseedDropout(model, settings.seed, step);
        const { loss: lossValue, correct: correctValue } = await trainStep(model, optimizer, vars, batch, classes, probsOut);
        if (!Number.isFinite(lossValue)) {
          history.stopReason = `loss became ${lossValue} at epoch ${epoch + 1}, batch ${batchIndex + 1}`;
          endMessage = `stopped: ${history.stopReason}`;
          throw new TrainingDivergedError(divergedMessage(lossValue, epoch, batchIndex, lr, settings.normalization), history);
        }
        const record: BatchRecord = { epoch, batch: batchIndex, step, loss: lossValue, accuracy: correctValue / batch.size, lr };
        history.batches.push(record);
        progress.batchDone(record, batch.size);
        lossSum += lossValue * batch.size;
        correctSum += correctValue;
        seen += batch.size;
        step++;
        batchIndex++;
        if ((await options.callbacks?.onBatchEnd?.({ ...record, size: batch.size })) === "stop") {
          history.stopReason = `stopped by a callback at epoch ${epoch + 1}, batch ${batchIndex}`;
          break epochs;
        }
      }

      const record: EpochRecord = { epoch, loss: lossSum / seen, accuracy: correctSum / seen, seconds: 0 };
      if (options.validation) {
        const val = await inferencePass(model, options.validation, { normalization: settings.normalization });
        record.valLoss = val.loss;
        record.valAccuracy = val.accuracy;
      }
      record.seconds = (performance.now() - started) / 1000;
      history.epochs.push(record);
      progress.epochDone(record);
      if (options.checkpoint && ((epoch + 1 - firstEpoch) % (options.checkpoint.every ?? 1) === 0 || epoch + 1 === settings.epochs)) {
        await saveCheckpoint(options.checkpoint.dir, { model, optimizer, history, nextEpoch: epoch + 1, variableOrder: varIndices, settings });
      }
      if ((await options.callbacks?.onEpochEnd?.(record, history)) === "stop") {
        history.stopReason = `stopped by a callback after epoch ${epoch + 1}`;
        break;
      }
      if (early?.update(record)) {
        history.stopReason = `early stopping after epoch ${epoch + 1}: ${early.monitor} did not improve for ${early.patience} epoch(s)`;
        break;
      }
    }
    early?.restore();
    if (history.stopReason && !history.interrupted) endMessage = history.stopReason;
    else if (!history.interrupted) endMessage = `done: ${history.describe()}`;
  } finally {
    early?.dispose();
    progress.finish(endMessage);
    if (!given) disposeOptimizer(optimizer);
  }
  await options.callbacks?.onTrainEnd?.(history);
  return history;
}

function divergedMessage(loss: number, epoch: number, batch: number, lr: number, normalization: Normalization): string {
  return (
    `Training stopped: the loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}. ` +
    `The likely cause is a learning rate too high for this model and optimizer (lr = ${lr}); try ${lr / 10}. ` +
    `Also check the inputs are normalized (normalization "${normalization}"). ` +
    `The weights now contain non-finite values: rebuild or reload the model. The history so far is in error.history.`
  );
}

