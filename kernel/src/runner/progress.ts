/**
 * Terminal progress: "[2/6] 02-model.ipynb  cell 5/31  12.4s". On a TTY one
 * line is redrawn in place every quarter second; otherwise a line is printed
 * per cell (and once a minute while a cell runs) so CI logs stay readable.
 */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

export class RunProgress {
  private timer: NodeJS.Timeout | undefined;
  private label = "";
  private started = 0;
  private notebookStarted = 0;

  constructor(private readonly out: ProgressSink = process.stdout) {}

  startNotebook(index: number, total: number, name: string): void {
    this.label = `[${index}/${total}] ${name}`;
    this.notebookStarted = Date.now();
  }

  startCell(cell: number, cells: number): void {
    this.started = Date.now();
    const label = `${this.label}  cell ${cell}/${cells}`;
    this.stopTimer();
    if (!this.out.isTTY) {
      const total = ((this.started - this.notebookStarted) / 1000).toFixed(1);
      this.out.write(`${label}  (notebook ${total}s)\n`);
      // a long cell still shows signs of life in a log, once a minute
      this.timer = setInterval(() => {
        this.out.write(`${label}  still running, ${((Date.now() - this.started) / 1000).toFixed(0)}s\n`);
      }, 60_000);
      this.timer.unref();
      return;
    }
    const draw = () => {
      const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
      const total = ((Date.now() - this.notebookStarted) / 1000).toFixed(0);
      this.out.write(`\r\x1b[2K${label}  ${elapsed}s  (notebook ${total}s)`);
    };
    draw();
    this.timer = setInterval(draw, 250);
    this.timer.unref();
  }

  /** Ends the notebook's progress line with a final status. */
  finishNotebook(status: string): void {
    this.stopTimer();
    const seconds = ((Date.now() - this.notebookStarted) / 1000).toFixed(1);
    this.out.write(`${this.out.isTTY ? "\r\x1b[2K" : ""}${this.label}  ${status} in ${seconds}s\n`);
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
