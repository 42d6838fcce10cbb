/**
 * Which execution a piece of running code belongs to, across awaits and timers
 * (AsyncLocalStorage). Output is routed to that execution's cell, and after an interrupt
 * its pending timers are cancelled and new ones never fire: an interrupted async loop stops.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { promisify } from "node:util";
import type { JupyterMessage } from "../wire/index.js";

export class Execution {
  readonly abort = new AbortController();
  readonly timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();
  constructor(readonly parent: JupyterMessage, readonly allowStdin: boolean, readonly silent = false) {}

  get interrupted(): boolean {
    return this.abort.signal.aborted;
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.abort.abort(new Error("interrupted by the user"));
    for (const t of this.timers) {
      clearTimeout(t as NodeJS.Timeout);
      clearImmediate(t as NodeJS.Immediate);
    }
    this.timers.clear();
  }
}

export const executionStorage = new AsyncLocalStorage<Execution>();

let latest: Execution | undefined;

/** The execution the calling code runs in, else the most recent one (output after a cell ended goes there). */
export function currentExecution(): Execution | undefined {
  return executionStorage.getStore() ?? latest;
}

export function runInExecution<T>(execution: Execution, fn: () => T): T {
  latest = execution;
  return executionStorage.run(execution, fn);
}

/** Wraps the global timer functions so timers belong to the execution that created them. */
export function installTimerTracking(): void {
  const g = globalThis as any;
  const track = (create: (...a: any[]) => any, clear: (h: any) => void, once: boolean) =>
    function (this: unknown, callback: (...a: any[]) => void, ...rest: any[]) {
      const execution = executionStorage.getStore();
      if (!execution || typeof callback !== "function") return create(callback, ...rest);
      if (execution.interrupted) {
        const dead = create(() => {}, ...rest.slice(0, 1));
        clear(dead);
        return dead;
      }
      const handle = create(function (this: unknown, ...args: any[]) {
        if (once) execution.timers.delete(handle);
        return callback.apply(this, args);
      }, ...rest);
      execution.timers.add(handle);
      return handle;
    };
  const { setTimeout: st, setInterval: si, setImmediate: sm, clearTimeout: ct, clearInterval: ci, clearImmediate: cm } = g;
  // keep util.promisify(setTimeout) working
  g.setTimeout = Object.assign(track(st, ct, true), { [promisify.custom]: st[promisify.custom] });
  g.setInterval = track(si, ci, false);
  g.setImmediate = Object.assign(track(sm, cm, true), { [promisify.custom]: sm[promisify.custom] });
  const untrack = (clear: (h: any) => void) => (h: any) => {
    executionStorage.getStore()?.timers.delete(h);
    latest?.timers.delete(h);
    return clear(h);
  };
  g.clearTimeout = untrack(ct);
  g.clearInterval = untrack(ci);
  g.clearImmediate = untrack(cm);
}
