/**
 * A photographer marks a few photos, opens the export dialog and takes the cull to their editor:
 * a zip of darktable sidecars, a zip of tagged JPEG copies for Lightroom, and the CSV report.
 * What was downloaded is unzipped here and read back by ExifTool, not by the app's own parser;
 * the CSV is compared with what the screen shows. Fixture model on WASM.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { exiftool } from '../scripts/exiftool.ts';
import {
  ensureRawSamples,
  RAW_SAMPLES,
  RAW_SAMPLES_DIR,
  RAW_SHOOT_DIR,
} from '../scripts/raw-samples.ts';
import { TEST_PHOTOS } from '../scripts/test-photos.ts';
import { loadModel, openApp, pickPhotos, testPhoto } from './support/app.ts';
import { expectAccessible } from './support/axe.ts';
import { rememberShootFolder } from './support/folders.ts';

const PHOTOS = [TEST_PHOTOS.landscapeJpeg, TEST_PHOTOS.progressiveJpeg, TEST_PHOTOS.png];
const dir = mkdtempSync(join(tmpdir(), 'ql-handback-e2e-'));

/** Clicks a button that downloads a file, and returns the file's bytes (kept in the temporary folder). */
async function download(page: Page, button: Locator): Promise<Buffer> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return readFileSync(path);
}

/** Downloads the dialog's zip and unzips it into the temporary folder: each file's path by its path in the zip. */
async function downloadZip(page: Page, dialog: Locator): Promise<Record<string, string>> {
  const zip = await download(page, dialog.getByRole('button', { name: 'Download zip' }));
  const out: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(unzipSync(zip))) {
    const path = join(dir, name.replaceAll('/', '__'));
    writeFileSync(path, bytes);
    out[name] = path;
  }
  return out;
}

async function open(page: Page, name: string) {
  await page
    .getByTestId('strip-item')
    .filter({ hasText: name })
    .getByRole('button')
    .first()
    .click();
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', name);
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
}

/** What the screen shows for the open photo, in the CSV's terms. */
async function shown(page: Page) {
  const measures: Record<string, string> = {};
  for (const li of await page.locator('li[data-testid^="measure-"]').all()) {
    const key = (await li.getAttribute('data-testid'))!.slice('measure-'.length);
    measures[key] = (await li.locator('.pixel-analysis__value').textContent())!;
  }
  return {
    score: (await page.getByTestId('score-value').textContent())!,
    score100: (await page.getByTestId('score-100').textContent())!.split(' / ')[0]!,
    level: (await page.getByTestId('score-verdict').textContent())!,
    levels: await page.locator('.level-bars__value').allTextContents(),
    measures,
  };
}

/** RFC 4180 rows (no field in this report holds a line break). */
const parseCsv = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
        .map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'))
        .slice(0, -1),
    );

test('mark photos, export sidecars, tagged copies and the CSV, and read them back with ExifTool', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    Object.assign(window, { showDirectoryPicker: () => navigator.storage.getDirectory() });
  });
  await openApp(page, { maxTokens: '8', device: 'wasm' });
  await loadModel(page);
  await pickPhotos(page, ...PHOTOS.map(testPhoto));
  await expect(page.getByTestId('strip-item')).toHaveCount(3);

  // Marks through the verdict row: a pick with 4 stars and a red label, a reject, one untouched.
  await open(page, 'landscape.jpg');
  const verdict = page.getByTestId('your-verdict');
  await verdict.getByRole('button', { name: 'Pick' }).click();
  await verdict.getByRole('button', { name: '4 stars' }).click();
  await verdict.getByLabel('Colour label').selectOption('Red');
  await expect(verdict.getByRole('button', { name: 'Pick' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const screen: Record<string, Awaited<ReturnType<typeof shown>>> = {};
  screen['landscape.jpg'] = await shown(page);
  await open(page, 'progressive.jpg');
  await verdict.getByRole('button', { name: 'Reject' }).click();
  screen['progressive.jpg'] = await shown(page);
  await open(page, 'ladybird.png');
  screen['ladybird.png'] = await shown(page);

  // The dialog: a modal with focus inside; darktable writes NAME.EXT.xmp for every photo.
  await page.getByRole('button', { name: 'Export for your editor…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand back to your editor' });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator(':focus')).toHaveCount(1);
  // Focus stays in the dialog: Tab never reaches the page behind it.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const outside = await page.evaluate(() => {
      const el = document.activeElement;
      return !!el && el !== document.body && !el.closest('dialog');
    });
    expect(outside).toBe(false);
  }
  await expectAccessible(page, 'export dialog');
  await dialog.getByLabel('darktable / digiKam').check();
  await expect(dialog.getByTestId('export-sidecar-count')).toHaveText('3');
  const sidecars = await downloadZip(page, dialog);
  expect(Object.keys(sidecars).sort()).toEqual([
    'ladybird.png.xmp',
    'landscape.jpg.xmp',
    'progressive.jpg.xmp',
  ]);
  const [landscape, progressive, ladybird] = exiftool(
    sidecars['landscape.jpg.xmp']!,
    sidecars['progressive.jpg.xmp']!,
    sidecars['ladybird.png.xmp']!,
  );
  expect(landscape).toMatchObject({
    'XMP-xmp:Rating': 4,
    'XMP-xmp:Label': 'Red',
    'XMP-ql:Backend': 'wasm',
    'XMP-ql:Precision': 'q8',
  });
  expect(progressive).toMatchObject({ 'XMP-xmp:Rating': -1 });
  expect(progressive).not.toHaveProperty('XMP-xmp:Label');
  expect(ladybird).toMatchObject({ 'XMP-xmp:Rating': 0 });
  // The app's own score is the one on screen: four decimals in the XMP, two on screen, so they
  // agree to within the screen's rounding (rounding the XMP's figure again could cross a half:
  // 2.5150 there, 2.51 on screen for a score of 2.51498).
  for (const [tags, name] of [
    [landscape, 'landscape.jpg'],
    [progressive, 'progressive.jpg'],
    [ladybird, 'ladybird.png'],
  ] as const) {
    const xmpScore = Number(tags!['XMP-ql:Score']);
    expect(Math.abs(xmpScore - Number(screen[name]!.score))).toBeLessThanOrEqual(0.00505);
    expect(tags!['XMP-ql:Level']).toBe(screen[name]!.level);
  }

  // Adobe: Lightroom reads no sidecar for a JPEG, so the JPEGs get tagged copies; the PNG none.
  await dialog.getByLabel('Adobe (Lightroom, Bridge, Camera Raw) / Capture One').check();
  await expect(dialog.getByTestId('export-copy-count')).toHaveText('2');
  // Copies are opt-in.
  await dialog.getByLabel('Make tagged JPEG copies (the originals are never changed)').check();
  await expect(dialog.getByText('1 photos get no XMP with this profile')).toBeVisible();
  const copies = await downloadZip(page, dialog);
  expect(Object.keys(copies).sort()).toEqual([
    'Tagged copies/landscape.jpg',
    'Tagged copies/progressive.jpg',
  ]);
  const [copy] = exiftool(copies['Tagged copies/landscape.jpg']!);
  expect(copy).toMatchObject({ 'XMP-xmp:Rating': 4, 'XMP-xmp:Label': 'Red', 'IFD0:Make': 'Canon' });
  const copyBytes = readFileSync(copies['Tagged copies/landscape.jpg']!);
  const originalPixels = await sharp(testPhoto(TEST_PHOTOS.landscapeJpeg)).raw().toBuffer();
  expect((await sharp(copyBytes).raw().toBuffer()).equals(originalPixels)).toBe(true);

  // The CSV says what the screen showed, rounded the same way.
  const csv = parseCsv(
    (await download(page, dialog.getByRole('button', { name: 'CSV report' }))).toString('utf8'),
  );
  const [header, ...rows] = csv;
  expect(rows).toHaveLength(3);
  const col = (row: string[], name: string) => row[header!.indexOf(name)];
  for (const row of rows) {
    const s = screen[col(row, 'name')!]!;
    expect(col(row, 'score')).toBe(s.score);
    expect(col(row, 'score_100')).toBe(s.score100);
    expect(col(row, 'level')).toBe(s.level);
    expect(['p_excellent', 'p_good', 'p_fair', 'p_poor', 'p_bad'].map((c) => col(row, c))).toEqual(
      s.levels,
    );
    for (const [key, value] of Object.entries(s.measures)) expect(col(row, key), key).toBe(value);
  }
  const landscapeRow = rows.find((r) => col(r, 'name') === 'landscape.jpg')!;
  expect([
    col(landscapeRow, 'flag'),
    col(landscapeRow, 'stars'),
    col(landscapeRow, 'label'),
  ]).toEqual(['pick', '4', 'Red']);

  // Into the shoot's folder (Chromium's File System Access API), after a confirmation. The
  // browser's folder picker is a native window a test cannot click through, so it is answered
  // with the origin-private folder: the app's own writing code runs as it does for a real folder.
  await dialog.getByLabel('darktable / digiKam').check();
  await dialog.getByRole('button', { name: 'Write into the shoot’s folder…' }).click();
  await expect(dialog.getByRole('group', { name: 'Confirm writing' })).toContainText(
    'Write 3 sidecars into the shoot’s folder',
  );
  await dialog.getByRole('button', { name: 'Write them' }).click();
  await expect(dialog.getByTestId('export-status')).toHaveText(/^Wrote 3 files into/);
  const written = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const out: Record<string, string> = {};
    for await (const [name, handle] of root as unknown as AsyncIterable<[string, FileSystemHandle]>)
      if (handle.kind === 'file')
        out[name] = await (await (handle as FileSystemFileHandle).getFile()).text();
    return out;
  });
  expect(Object.keys(written).sort()).toEqual(Object.keys(sidecars).sort());
  const writtenPath = join(dir, 'written-landscape.jpg.xmp');
  writeFileSync(writtenPath, written['landscape.jpg.xmp']!);
  expect(exiftool(writtenPath)[0]).toMatchObject({ 'XMP-xmp:Rating': 4, 'XMP-xmp:Label': 'Red' });

  // Esc closes the dialog and gives focus back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export for your editor…' })).toBeFocused();
});

test('a shoot folder with a RAW+JPEG pair and its develop settings: one merged STEM.xmp, the settings kept', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await ensureRawSamples();
  // The shoot as it comes off the card, with Lightroom's develop settings already in the pair's
  // sidecar (what an editor wrote earlier and must find again).
  const shoot = join(dir, 'wedding');
  cpSync(RAW_SHOOT_DIR, shoot, { recursive: true });
  writeFileSync(
    join(shoot, 'ceremony', 'IMG_0003.xmp'),
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
      `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" ` +
      `xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
      `xmp:Rating="2" crs:Exposure2012="+0.35" crs:WhiteBalance="Custom" crs:Temperature="5650">` +
      `<dc:subject><rdf:Bag><rdf:li>first dance</rdf:li></rdf:Bag></dc:subject>` +
      `</rdf:Description></rdf:RDF></x:xmpmeta>`,
  );
  const before = exiftool(join(shoot, 'ceremony', 'IMG_0003.xmp'))[0]!;

  await openApp(page, { maxTokens: '8', device: 'wasm' });
  await loadModel(page);
  await page.getByTestId('folder-input').setInputFiles(shoot);
  await expect(page.getByTestId('photo-notice')).toContainText('1 RAW+JPEG pair');
  await open(page, 'IMG_0003.JPG');
  const verdict = page.getByTestId('your-verdict');
  await verdict.getByRole('button', { name: 'Pick' }).click();
  await verdict.getByRole('button', { name: '5 stars' }).click();

  await page.getByRole('button', { name: 'Export for your editor…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand back to your editor' });
  await dialog.getByLabel('Adobe (Lightroom, Bridge, Camera Raw) / Capture One').check();
  const files = await downloadZip(page, dialog);
  // The pair shares one STEM.xmp (beside the CR3, where Lightroom looks), merged into the old one.
  const pairSidecars = Object.keys(files).filter((name) => /IMG_0003\b/.test(name));
  expect(pairSidecars).toHaveLength(1);
  // At its path inside the shoot's folder ('wedding'), as written through that folder's handle.
  expect(pairSidecars[0]).toBe('ceremony/IMG_0003.xmp');
  const after = exiftool(files[pairSidecars[0]!]!)[0]!;
  expect(after).toMatchObject({ 'XMP-xmp:Rating': 5 });
  expect(after['XMP-ql:Score']).toBeDefined();
  // Everything the editor wrote before is still there, as ExifTool reads it.
  for (const [tag, value] of Object.entries(before)) {
    if (tag.startsWith('XMP-') && tag !== 'XMP-xmp:Rating') expect(after[tag], tag).toEqual(value);
  }
  // (and what was compared is what matters: the develop settings and the keyword).
  expect(Object.keys(before)).toEqual(
    expect.arrayContaining(['XMP-crs:Exposure2012', 'XMP-crs:ColorTemperature', 'XMP-dc:Subject']),
  );
  // The photos themselves are never changed.
  expect(readFileSync(join(shoot, 'ceremony', 'IMG_0003.JPG'))).toEqual(
    readFileSync(join(RAW_SHOOT_DIR, 'ceremony', 'IMG_0003.JPG')),
  );
});

test('a shoot opened from its remembered folder is written back into that folder, next to the originals', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await ensureRawSamples();
  // The folder picker is a native window a test cannot drive: the remembered handle is a real
  // directory handle in the origin's private file system, stored where the picker's would be.
  // Asking the picker again would be a failure here: the export must use the remembered folder.
  await page.addInitScript(() => {
    const w = window as unknown as { pickerCalls: number };
    w.pickerCalls = 0;
    Object.assign(window, {
      showDirectoryPicker: () => {
        w.pickerCalls += 1;
        return Promise.reject(new DOMException('not in this test', 'AbortError'));
      },
    });
  });
  const files = [
    { name: 'IMG_7.CR3', bytes: [...readFileSync(join(RAW_SAMPLES_DIR, RAW_SAMPLES.cr3.file))] },
    { name: 'IMG_7.JPG', bytes: [...readFileSync(join(RAW_SHOOT_DIR, 'ceremony/IMG_0002.JPG'))] },
    {
      name: 'IMG_7.xmp',
      bytes: [
        ...Buffer.from(
          `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
            `<rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" ` +
            `crs:Exposure2012="+0.35"/></rdf:RDF></x:xmpmeta>`,
        ),
      ],
    },
  ];
  await openApp(page, { maxTokens: '8', device: 'wasm' });
  await rememberShootFolder(page, 'wedding', 'day one', files);
  await page.reload();
  await loadModel(page);
  await page.getByRole('button', { name: 'Open wedding again' }).click();
  await expect(page.getByTestId('score-value')).toHaveText(/^[1-5]\.\d\d$/);
  await page.getByTestId('your-verdict').getByRole('button', { name: '3 stars' }).click();

  await page.getByRole('button', { name: 'Export for your editor…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand back to your editor' });
  await dialog.getByRole('button', { name: 'Write into the shoot’s folder…' }).click();
  await expect(dialog.getByRole('group', { name: 'Confirm writing' })).toContainText(
    'Write 1 sidecars into wedding?',
  );
  await dialog.getByRole('button', { name: 'Write them' }).click();
  await expect(dialog.getByTestId('export-status')).toHaveText('Wrote 1 files into wedding.');

  // The pair's STEM.xmp beside its RAW in 'day one', merged; nothing written anywhere else.
  const tree = await page.evaluate(async () => {
    const list = async (dir: FileSystemDirectoryHandle, path: string): Promise<string[]> => {
      const out: string[] = [];
      for await (const [name, handle] of dir as unknown as AsyncIterable<
        [string, FileSystemHandle]
      >) {
        if (handle.kind === 'file') out.push(`${path}${name}`);
        else out.push(...(await list(handle as FileSystemDirectoryHandle, `${path}${name}/`)));
      }
      return out.sort();
    };
    const root = await navigator.storage.getDirectory();
    const day = await (await root.getDirectoryHandle('wedding')).getDirectoryHandle('day one');
    const sidecar = await (await day.getFileHandle('IMG_7.xmp')).getFile();
    return {
      files: await list(root, ''),
      sidecar: await sidecar.text(),
      pickerCalls: (window as unknown as { pickerCalls: number }).pickerCalls,
    };
  });
  expect(tree.pickerCalls).toBe(0);
  expect(tree.files).toEqual([
    'wedding/day one/IMG_7.CR3',
    'wedding/day one/IMG_7.JPG',
    'wedding/day one/IMG_7.xmp',
  ]);
  const writtenPath = join(dir, 'remembered-IMG_7.xmp');
  writeFileSync(writtenPath, tree.sidecar);
  expect(exiftool(writtenPath)[0]).toMatchObject({
    'XMP-xmp:Rating': 3,
    'XMP-crs:Exposure2012': '+0.35',
  });
});
