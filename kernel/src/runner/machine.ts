/** A one-line description of this machine for run metadata. */
import { cpus, platform, release, totalmem } from "node:os";

export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, " ").trim() || "unknown CPU";
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
  return `${model}, ${cores.length} cores, ${memory}, ${platform()} ${release()}, Node ${process.version}`;
}
