/** Per-session input history, answering history_request (tail, range, search with unique and n). */
import { appendFileSync, readFileSync } from "node:fs";

export interface HistoryEntry { session: number; line: number; input: string; output?: string }

export class History {
  private readonly entries: HistoryEntry[] = [];
  readonly session: number;

  /** With a file, earlier sessions are loaded from it and new cells appended (JSON lines). */
  constructor(private readonly file?: string) {
    if (file) {
      try {
        for (const line of readFileSync(file, "utf8").split("\n")) if (line) this.entries.push(JSON.parse(line));
      } catch {
        /* no history yet, or unreadable: start fresh */
      }
    }
    this.session = this.entries.reduce((m, e) => Math.max(m, e.session), 0) + 1;
  }

  add(line: number, input: string, output?: string): void {
    const entry = { session: this.session, line, input, output };
    this.entries.push(entry);
    if (this.file) {
      try {
        appendFileSync(this.file, JSON.stringify(entry) + "\n", { mode: 0o600 });
      } catch {
        /* history is a convenience: never fail a cell for it */
      }
    }
  }

  tail(n: number): HistoryEntry[] {
    return n > 0 ? this.entries.slice(-n) : [];
  }

  /** session 0 or positive = absolute, negative = relative to the current one; stop is exclusive. */
  range(session: number, start: number, stop: number | null): HistoryEntry[] {
    const s = session <= 0 ? this.session + session : session;
    return this.entries.filter((e) => e.session === s && e.line >= start && (stop == null || e.line < stop));
  }

  /** Glob search (* and ?), newest last; `n` keeps the last n; `unique` drops repeated inputs. */
  search(pattern: string, unique: boolean, n: number | null): HistoryEntry[] {
    const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "s");
    let found = this.entries.filter((e) => re.test(e.input));
    if (unique) {
      const seen = new Set<string>();
      found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
    }
    return n != null && n > 0 ? found.slice(-n) : found;
  }

  /** history_reply content for a history_request (with `output`, entries carry [input, output]). */
  reply(c: Record<string, any>): object {
    const entries =
      c.hist_access_type === "tail" ? this.tail(Number(c.n ?? 10))
      : c.hist_access_type === "range" ? this.range(Number(c.session ?? 0), Number(c.start ?? 1), c.stop ?? null)
      : c.hist_access_type === "search" ? this.search(String(c.pattern ?? "*"), Boolean(c.unique), c.n ?? null)
      : [];
    return {
      status: "ok",
      history: entries.map((e) => (c.output ? [e.session, e.line, [e.input, e.output ?? null]] : [e.session, e.line, e.input])),
    };
  }
}
