/**
 * A progress bar for long work (downloads, epochs). In a notebook it is one
 * output updated in place (text/plain + text/html); in a terminal it is a line
 * redrawn with \r on a TTY, or a plain line every few seconds when piped.
 */
import { DISPLAY, type MimeBundle } from "../display/bundle.js";
import { kernelHost } from "../display/host.js";
import { showUpdatable, type DisplayHandle } from "../display/show.js";

export interface ProgressOptions {
  label: string;
  /** When known, a bar and a percentage are shown; otherwise only the count. */
  total?: number;
  /** "B" formats counts as bytes (kB, MB); any other unit is printed after the count. */
  unit?: string;
  /** Where terminal output goes (default process.stderr, so stdout stays clean for results). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

const RENDER_INTERVAL_MS = 250; // at most ~4 renders a second
const PIPED_INTERVAL_MS = 5000; // a line every few seconds in logs
const BAR_WIDTH = 30;

export class ProgressBar {
  readonly label: string;
  readonly total: number | undefined;
  readonly unit: string;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly started = Date.now();
  private done = 0;
  private detail = "";
  private lastRender = -Infinity;
  private handle: DisplayHandle | undefined;
  private finished = false;
  /** How many times the bar was drawn (throttling is observable in tests). */
  renders = 0;

  constructor(options: ProgressOptions) {
    this.label = options.label;
    this.total = options.total !== undefined && options.total > 0 ? options.total : undefined;
    this.unit = options.unit ?? "";
    this.stream = options.stream ?? process.stderr;
  }

  /** Records progress; draws at most a few times a second. */
  update(done: number, detail?: string): void {
    if (this.finished) return;
    this.done = done;
    if (detail !== undefined) this.detail = detail;
    const now = Date.now();
    const live = Boolean(kernelHost() || this.stream.isTTY);
    // Live outputs draw at once; a log gets its first line only if the work lasts a while.
    const since = !live && this.renders === 0 ? this.started : this.lastRender;
    if (now - since < (live ? RENDER_INTERVAL_MS : PIPED_INTERVAL_MS)) return;
    this.lastRender = now;
    this.render(false);
  }

  /** Draws the final state (the last update, always drawn), ending the terminal line. */
  finish(detail?: string): void {
    if (this.finished) return;
    if (detail !== undefined) this.detail = detail;
    this.finished = true;
    this.render(true);
  }

  /** The current state as a MIME bundle (what a notebook shows). */
  [DISPLAY](): MimeBundle {
    return { "text/plain": this.text(), "text/html": this.html() };
  }

  /** One line: label, bar, percentage, counts, rate, detail. */
  text(): string {
    const parts = [this.label];
    const fraction = this.fraction();
    if (fraction !== undefined) {
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(`[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`, `${(fraction * 100).toFixed(0).padStart(3)}%`);
    }
    parts.push(this.counts());
    const rate = this.rate();
    if (rate) parts.push(rate);
    if (this.detail) parts.push(this.detail);
    return parts.join(" ");
  }

  private html(): string {
    const fraction = this.fraction();
    const pct = fraction === undefined ? undefined : (fraction * 100).toFixed(1);
    const bar =
      pct === undefined
        ? ""
        : `<progress max="100" value="${pct}" style="width:20em;vertical-align:middle"></progress> ${pct}% `;
    const rest = [this.counts(), this.rate(), this.detail].filter(Boolean).join(" · ");
    return `<div class="mnist-lab-progress"><b>${escapeHtml(this.label)}</b> ${bar}<span>${escapeHtml(rest)}</span></div>`;
  }

  private fraction(): number | undefined {
    if (this.total === undefined) return undefined;
    return Math.min(1, Math.max(0, this.done / this.total));
  }

  private counts(): string {
    const fmt = (n: number) => (this.unit === "B" ? formatBytes(n) : String(n));
    const suffix = this.unit && this.unit !== "B" ? ` ${this.unit}` : "";
    return this.total === undefined ? `${fmt(this.done)}${suffix}` : `${fmt(this.done)}/${fmt(this.total)}${suffix}`;
  }

  private rate(): string {
    const seconds = (Date.now() - this.started) / 1000;
    if (seconds < 0.5 || this.done <= 0) return "";
    const perSecond = this.done / seconds;
    if (this.unit === "B") return `${formatBytes(perSecond)}/s`;
    return `${perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1)} ${this.unit || "it"}/s`;
  }

  private render(final: boolean): void {
    this.renders++;
    if (kernelHost()) {
      if (this.handle) this.handle.update(this);
      else this.handle = showUpdatable(this);
      return;
    }
    if (this.stream.isTTY) this.stream.write(`\r${this.text()}\x1b[K${final ? "\n" : ""}`);
    else this.stream.write(`${this.text()}\n`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
