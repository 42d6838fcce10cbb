/** Learning-rate schedules, applied at the start of each epoch. */

export type LrSchedule =
  | { type: "constant" }
  /** × factor every `every` epochs */
  | { type: "step"; every: number; factor: number }
  /** × gamma each epoch */
  | { type: "exponential"; gamma: number }
  /** cosine from lr down to lr × minFactor over the run's epochs */
  | { type: "cosine"; minFactor?: number }
  /** any function of the epoch (0-based), the base lr and the total epochs */
  | ((epoch: number, baseLr: number, epochs: number) => number);

export function learningRateAt(schedule: LrSchedule | undefined, epoch: number, baseLr: number, epochs: number): number {
  if (!schedule) return baseLr;
  if (typeof schedule === "function") return schedule(epoch, baseLr, epochs);
  switch (schedule.type) {
    case "constant":
      return baseLr;
    case "step":
      return baseLr * schedule.factor ** Math.floor(epoch / schedule.every);
    case "exponential":
      return baseLr * schedule.gamma ** epoch;
    case "cosine": {
      const min = baseLr * (schedule.minFactor ?? 0.01);
      const t = epochs <= 1 ? 0 : epoch / (epochs - 1);
      return min + ((baseLr - min) * (1 + Math.cos(Math.PI * t))) / 2;
    }
  }
}

/** Whether a schedule can be written to a checkpoint (functions cannot). */
export function serializableSchedule(schedule: LrSchedule | undefined): Exclude<LrSchedule, Function> | undefined {
  return typeof schedule === "function" ? undefined : schedule;
}
