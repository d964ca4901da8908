/**
 * Peak memory of the benchmark's Chromium, read from Linux /proc: each process's VmHWM (peak
 * resident set) is reset through /proc/<pid>/clear_refs before a step and read after it. The
 * renderer process holds the page and its workers (JS heaps and onnxruntime's WASM memory); the
 * GPU process holds WebGPU buffers. Only processes of our own browser (found by its profile folder)
 * are touched. Elsewhere than Linux the figures are NaN.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Kinds of Chromium processes the report distinguishes. */
export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'utility' | 'other';

interface ChromiumProcess {
  pid: number;
  kind: ProcessKind;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  // Field 4 after the parenthesised command name (which may itself hold spaces).
  const after = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(after?.[1] ?? -1);
}

function kindOf(cmdline: string): ProcessKind {
  const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
  if (!type) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return 'utility';
  return 'other';
}

/** The browser process started with `profileDir` and all its descendants. */
export function chromiumProcesses(profileDir: string): ChromiumProcess[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  const cmdlines = new Map<number, string>();
  for (const name of entries) {
    const pid = Number(name);
    const cmdline = readText(`/proc/${pid}/cmdline`);
    if (cmdline === null) continue;
    cmdlines.set(pid, cmdline.replaceAll('\0', ' '));
    parents.set(pid, parentOf(pid));
  }
  const roots = [...cmdlines].filter(
    ([, cmd]) => cmd.includes(`--user-data-dir=${profileDir}`) && !cmd.includes('--type='),
  );
  const ours = new Set(roots.map(([pid]) => pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!ours.has(pid) && ours.has(parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  return [...ours].map((pid) => ({ pid, kind: kindOf(cmdlines.get(pid) ?? '') }));
}

/** Resets the peak-RSS mark of each process (writes 5 to clear_refs). */
export function resetPeaks(profileDir: string): void {
  for (const { pid } of chromiumProcesses(profileDir)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // The process ended, or the kernel does not allow it: its peak then covers its lifetime.
    }
  }
}

/** Peak resident memory (MiB) since the last reset, per process kind (largest process of the kind). */
export function readPeaks(profileDir: string): Record<ProcessKind, number> {
  const peaks: Record<ProcessKind, number> = {
    browser: NaN,
    renderer: NaN,
    gpu: NaN,
    utility: NaN,
    other: NaN,
  };
  for (const { pid, kind } of chromiumProcesses(profileDir)) {
    const kib = Number(/VmHWM:\s+(\d+)/.exec(readText(`/proc/${pid}/status`) ?? '')?.[1]);
    if (!Number.isFinite(kib)) continue;
    const mib = kib / 1024;
    peaks[kind] = Number.isNaN(peaks[kind]) ? mib : Math.max(peaks[kind], mib);
  }
  return peaks;
}
