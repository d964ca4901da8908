/**
 * Takes a screenshot of the running app as a person sees it, optionally after adding photos.
 * Usage: npx tsx scripts/screenshot.ts --url http://localhost:5173/ --out shot.png [--photo a.jpg]…
 *        [--click "button name"]… [--wait-for "text or selector"] [--webgpu]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:5173/' },
    out: { type: 'string', default: 'screenshot.png' },
    photo: { type: 'string', multiple: true, default: [] },
    'wait-for': { type: 'string' },
    click: { type: 'string', multiple: true, default: [] },
    webgpu: { type: 'boolean', default: false },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '900' },
    timeout: { type: 'string', default: '120000' },
  },
});

const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    ...(values.webgpu ? ['--enable-unsafe-webgpu'] : []),
  ],
});
const page = await browser.newPage({
  viewport: { width: Number(values.width), height: Number(values.height) },
});
page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(values.url);
for (const name of values.click) await page.getByRole('button', { name }).click();
if (values.photo.length > 0) await page.getByTestId('photo-input').setInputFiles(values.photo);
const timeout = Number(values.timeout);
if (values['wait-for']) {
  const target = values['wait-for'];
  await (target.startsWith('[') || target.startsWith('.') || target.startsWith('#')
    ? page.locator(target).first().waitFor({ timeout })
    : page.getByText(target).first().waitFor({ timeout }));
}
await page.screenshot({ path: values.out, fullPage: true });
console.log(`wrote ${values.out}`);
await browser.close();
