/**
 * The screenshots in docs/CULLING.md, taken of the running app as a photographer sees it: the
 * first frames of the generated shoot (scripts/cull-shoot.ts, real photographs with bursts) in the
 * grid, a burst's frame in the loupe with its group, and two frames compared.
 *
 *   npx tsx scripts/culling-screenshots.ts --app http://localhost:4273/ --hub http://127.0.0.1:4280/
 *
 * Needs the app (a build, e.g. `npx vite preview`) and a model host serving the fixture model
 * (scripts/hub-server.ts). Writes docs/culling-{grid,group,compare}.jpg.
 */
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import sharp from 'sharp';
import { chromiumArgs, executablePath } from '../playwright.config.ts';
import { ensureCullShoot } from './cull-shoot.ts';

const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'http://localhost:4173/' },
    hub: { type: 'string', default: 'http://127.0.0.1:4180/' },
    photos: { type: 'string', default: '36' },
  },
});

async function save(page: Page, name: string) {
  const png = await page.screenshot();
  await sharp(png).jpeg({ quality: 80, mozjpeg: true }).toFile(`docs/culling-${name}.jpg`);
  console.info(`docs/culling-${name}.jpg`);
}

const { paths } = await ensureCullShoot();
const browser = await chromium.launch({ executablePath, args: chromiumArgs });
const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
await page.goto(`${values.app}?${new URLSearchParams({ hub: values.hub!, device: 'wasm' })}`);
const consent = page.getByRole('button', { name: 'Download and load the model' });
await consent.or(page.getByTestId('model-ready')).first().waitFor({ timeout: 120_000 });
if (await consent.isVisible()) await consent.click();
await page
  .getByTestId('model-ready')
  .waitFor({ timeout: 300_000 })
  .catch(async (error: unknown) => {
    await page.screenshot({ path: '/tmp/culling-model.png' });
    throw error;
  });

const count = Number(values.photos);
await page.getByTestId('photo-input').setInputFiles(paths.slice(0, count));
const progress = page.getByTestId('work-progress');
await page.waitForFunction(
  (n) => document.querySelector('[data-testid="work-progress"]')?.getAttribute('data-scored') === n,
  String(count),
  { timeout: 600_000 },
);
await progress.isVisible();
await page.waitForTimeout(1_000); // the grouping's debounce

// The grid, with one photo picked and one rejected, as after a first pass.
const cells = page.getByTestId('grid-cell');
await cells.nth(0).click();
await page.keyboard.press('p');
await page.keyboard.press('4');
await page.keyboard.press('ArrowRight');
await page.keyboard.press('x');
await page.keyboard.press('ArrowRight');
await save(page, 'grid');

// A burst's frame in the loupe: its group and the best frame's reason under the photo.
await page.keyboard.press('e');
await page.getByTestId('photo-canvas').waitFor();
await page.waitForTimeout(1_500);
await save(page, 'group');

// Two frames side by side with their numbers.
await page.keyboard.press('g');
await page.keyboard.press('c');
await page.waitForTimeout(1_500);
await save(page, 'compare');
await browser.close();
