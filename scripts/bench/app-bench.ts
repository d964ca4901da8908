/**
 * What the benchmarks that drive the whole app share (bench:shoot, bench:grid): a production build
 * served by vite preview, a fresh headless Chromium profile per drop, the results written as
 * `<name>-latest.{json,md}`, and the command line (`--counts`, `--long-side`, `--out`). Kept apart
 * from bench.ts, which drives the model benchmark page and is long enough already.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { build, preview, type UserConfig } from 'vite';
import appConfig from '../../vite.config.ts';
import { CHROMIUM_ARGS, EXECUTABLE, freePort } from './bench.ts';

/** The app, built into `dist` and served; `close` stops the server. */
export interface ServedApp {
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds the app into `dist` (public/ left out: it may hold e2e fixtures) and serves it on the
 * first free port from `preferredPort`. A model folder, when given, is linked in as
 * `models/<id>` so the app loads it as `local:<id>`.
 */
export async function serveAppBuild(
  dist: string,
  preferredPort: number,
  model?: { id: string; dir: string },
): Promise<ServedApp> {
  const app = appConfig as UserConfig;
  await build({
    ...app,
    configFile: false,
    logLevel: 'error',
    publicDir: false,
    build: { ...app.build, outDir: dist, emptyOutDir: true },
  });
  if (model) {
    mkdirSync(join(dist, 'models'), { recursive: true });
    symlinkSync(resolve(model.dir), join(dist, 'models', model.id), 'dir');
  }
  const port = await freePort(preferredPort);
  const server = await preview({
    ...app,
    configFile: false,
    logLevel: 'error',
    build: { ...app.build, outDir: dist },
    preview: { ...app.preview, port, strictPort: true, host: 'localhost' },
  });
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((done) => server.httpServer.close(() => done())),
  };
}

/**
 * Runs `use` in a fresh headless Chromium with a profile of its own (under
 * .cache/bench-profiles, so memory figures find its processes by their profile folder); the
 * browser is closed and the profile deleted afterwards.
 */
export async function inFreshBrowser<T>(
  prefix: string,
  use: (page: Page, context: BrowserContext, profile: string) => Promise<T>,
  viewport?: { width: number; height: number },
): Promise<T> {
  const root = resolve('.cache/bench-profiles');
  mkdirSync(root, { recursive: true });
  const profile = mkdtempSync(join(root, `${prefix}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: CHROMIUM_ARGS,
    ...(viewport ? { viewport } : {}),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await use(page, context, profile);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Writes `<outDir>/<name>-latest.json` (the rows) and `.md` (the table), with the machine. */
export function writeLatest(
  outDir: string,
  name: string,
  title: string,
  rows: unknown[],
  markdown: string,
): void {
  mkdirSync(outDir, { recursive: true });
  const at = new Date().toISOString();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  writeFileSync(
    join(outDir, `${name}-latest.json`),
    JSON.stringify({ at, machine, rows }, null, 2),
  );
  writeFileSync(
    join(outDir, `${name}-latest.md`),
    `# ${title} (${at}, ${machine})\n\n${markdown}\n`,
  );
}

/**
 * The command line of a drop benchmark: `--counts 50,500 --long-side 640 --out DIR`; prints the
 * table, and exits non-zero when a drop did not finish.
 */
export async function runDropBenchCli<Row>(
  defaults: { counts: string; longSide: string },
  run: (
    counts: number[],
    longSide: number,
    outDir: string,
    log: (line: string) => void,
  ) => Promise<Row[]>,
  markdown: (rows: Row[]) => string,
): Promise<void> {
  const { values } = parseArgs({
    options: {
      counts: { type: 'string', default: defaults.counts },
      'long-side': { type: 'string', default: defaults.longSide },
      out: { type: 'string', default: 'bench-results' },
    },
  });
  const started = performance.now();
  const log = (line: string) =>
    console.error(
      `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`,
    );
  const counts = values.counts
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const rows = await run(counts, Number(values['long-side']), resolve(values.out), log);
  console.log(markdown(rows));
  if (rows.length !== counts.length) process.exitCode = 1;
}
