/** The `mnist-lab run` command line. */
export interface RunOptions {
  /** Notebook files or folders given on the command line (default: notebooks/). */
  inputs: string[];
  /** Prefixes or names picked with --only 01,04 (empty: all). */
  only: string[];
  outDir: string;
  quick: boolean;
  /** Per-cell limit in seconds (interrupts the cell and fails the notebook), or undefined. */
  cellTimeoutSeconds?: number;
  help: boolean;
}

export const USAGE = `Usage: mnist-lab run [options] [notebook.ipynb | folder ...]

Runs notebooks top to bottom in a fresh mnist-lab kernel each, and writes an
executed copy (<name>.ipynb) and an HTML report (<name>.html) per notebook
into the output folder. The input notebooks are never modified.

Options:
  --quick              quick mode: small subsets, few epochs (sets MNIST_LAB_QUICK=1)
  --only 01,04         run only notebooks whose file name starts with (or equals) one of these
  --out DIR            output folder (default: reports)
  --cell-timeout SEC   interrupt a cell that runs longer than SEC seconds and fail its notebook
  -h, --help           show this help

Default input: the notebooks/ folder of the current directory.`;

export class UsageError extends Error {}

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const options: RunOptions = { inputs: [], only: [], outDir: "reports", quick: false, help: false };
  const args = argv[0] === "run" ? argv.slice(1) : [...argv];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        options.quick = true;
        break;
      case "--only":
        options.only.push(...value().split(",").map((s) => s.trim()).filter(Boolean));
        break;
      case "--out":
        options.outDir = value();
        break;
      case "--cell-timeout": {
        const seconds = Number(value());
        if (!(seconds > 0)) throw new UsageError(`--cell-timeout must be a positive number of seconds`);
        options.cellTimeoutSeconds = seconds;
        break;
      }
      case "-h":
      case "--help":
        options.help = true;
        break;
      default:
        if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
        options.inputs.push(arg);
    }
  }
  return options;
}
