/**
 * The grid benchmark: the real app (production build) in headless Chromium with N small photos
 * picked at once; once every photo is measured, it counts the page's DOM elements and the grid
 * cells in it, then scrolls the grid from top to bottom (120 px a frame, a quick flick) while a
 * PerformanceObserver records the main thread's long tasks (over 50 ms). The DOM at the largest N
 * over the smallest says whether the grid is really virtualised (goal: about 1).
 *
 *   npm run bench:grid                          # 50 and 500 photos, long side 480 px
 *   npm run bench:grid -- --counts 50,2000
 *
 * No model is loaded: the figures are the grid's own, not the scoring's (cells say "Scoring…").
 * Writes bench-results/grid-latest.{json,md}. Never judges the figures.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { ensureShootPhotos } from '../shoot-photos.ts';
import { inFreshBrowser, runDropBenchCli, serveAppBuild, writeLatest } from './app-bench.ts';

/** One drop of `photos` photos, measured in the grid. */
export interface GridRow {
  photos: number;
  /** Elements in the whole page, and grid cells among them, with the grid at the top. */
  domNodes: number;
  cellsInDom: number;
  /** The most elements seen in any frame while scrolling. */
  domNodesScrollingMax: number;
  scrollMs: number;
  frames: number;
  longTasks: number;
  longestTaskMs: number;
  /** Long tasks in 3 s with nothing happening (the machine's load alone). */
  idleLongTasks: number;
  loadAverage: number;
}

async function measureGrid(origin: string, photos: string[]): Promise<GridRow> {
  return inFreshBrowser(
    'grid',
    async (page) => {
      await page.goto(origin);
      await page.getByTestId('photo-input').setInputFiles(photos);
      await page.waitForFunction(
        (n) =>
          document.querySelector('[data-testid="work-progress"]')?.getAttribute('data-measured') ===
          n,
        String(photos.length),
        { timeout: 3_600_000, polling: 500 },
      );
      await page.getByTestId('shoot-grid').waitFor();
      await page.waitForTimeout(500);
      const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      const cellsInDom = await page.getByTestId('grid-cell').count();
      // The same observer over 3 s of doing nothing: long tasks the machine's load alone causes.
      const idleLongTasks = await page.evaluate(async () => {
        let count = 0;
        const observer = new PerformanceObserver((list) => {
          count += list.getEntries().length;
        });
        observer.observe({ type: 'longtask' });
        await new Promise((done) => setTimeout(done, 3000));
        observer.disconnect();
        return count;
      });
      const scroll = await page.getByTestId('shoot-grid').evaluate(async (el: HTMLElement) => {
        const durations: number[] = [];
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) durations.push(entry.duration);
        });
        observer.observe({ type: 'longtask' });
        let most = 0;
        let frames = 0;
        const started = performance.now();
        while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
          el.scrollTop += 120;
          // Inline: tsx would wrap a named helper in a __name() call the page does not have.
          await new Promise((done) => requestAnimationFrame(done));
          frames++;
          most = Math.max(most, document.getElementsByTagName('*').length);
        }
        const scrollMs = performance.now() - started;
        await new Promise((done) => setTimeout(done, 300));
        observer.disconnect();
        return { durations, most, frames, scrollMs };
      });
      return {
        photos: photos.length,
        domNodes,
        cellsInDom,
        domNodesScrollingMax: scroll.most,
        scrollMs: scroll.scrollMs,
        frames: scroll.frames,
        longTasks: scroll.durations.length,
        longestTaskMs: Math.max(0, ...scroll.durations),
        idleLongTasks,
        loadAverage: loadavg()[0]!,
      };
    },
    { width: 1600, height: 1000 },
  );
}

export function gridMarkdown(rows: GridRow[]): string {
  const lines = [
    '| photos | DOM elements | grid cells in DOM | DOM max while scrolling | scroll (frames) | long tasks > 50 ms | longest | idle 3 s: long tasks | load avg |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.photos} | ${r.domNodes} | ${r.cellsInDom} | ${r.domNodesScrollingMax} | ` +
        `${(r.scrollMs / 1000).toFixed(1)} s (${r.frames}) | ${r.longTasks} | ` +
        `${r.longestTaskMs.toFixed(0)} ms | ${r.idleLongTasks} | ${r.loadAverage.toFixed(1)} |`,
    ),
  ];
  const first = rows[0];
  const last = rows.at(-1);
  if (first && last && last !== first) {
    lines.push(
      '',
      `DOM elements at ${last.photos} photos ÷ at ${first.photos}: **${(last.domNodes / first.domNodes).toFixed(2)}**.`,
    );
  }
  return lines.join('\n');
}

/** Runs the drops and writes bench-results/grid-latest.{json,md}. */
export async function runGridBench(
  counts: number[],
  longSide: number,
  outDir: string,
  log: (line: string) => void,
): Promise<GridRow[]> {
  const photos = await ensureShootPhotos(Math.max(...counts), longSide);
  log(`grid: ${photos.length} photos ready`);
  const app = await serveAppBuild(resolve('.cache/bench-grid-dist'), 4196);
  const rows: GridRow[] = [];
  try {
    for (const count of counts) {
      log(`grid: dropping ${count} photos`);
      const row = await measureGrid(app.origin, photos.slice(0, count));
      log(
        `grid: ${count} photos: ${row.domNodes} elements, ${row.cellsInDom} cells, ${row.longTasks} long tasks while scrolling (longest ${row.longestTaskMs.toFixed(0)} ms)`,
      );
      rows.push(row);
    }
  } finally {
    await app.close();
  }
  writeLatest(outDir, 'grid', 'Grid benchmark', rows, gridMarkdown(rows));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDropBenchCli({ counts: '50,500', longSide: '480' }, runGridBench, gridMarkdown);
}
