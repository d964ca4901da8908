/** What the benchmark ran on: CPU, cores, memory, load (other work on a shared machine). */
import { cpus, loadavg, release, totalmem } from 'node:os';

/** The machine a report was measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
  };
}

/** The 1-minute load average: above the core count means the benchmark shared the CPU. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
