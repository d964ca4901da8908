/**
 * A photographer looks through a shoot of 40 photos the way they would in Lightroom: the grid
 * (virtualised: only the rows in view are in the page), arrows and P / X / 3 to mark, sort by
 * score, a filter, loupe and compare, the keyboard help. Fixture model on WASM.
 */
import { expect, test, type Page } from '@playwright/test';
import { ensureShootPhotos } from '../scripts/shoot-photos.ts';
import { expectAccessible } from './support/axe.ts';
import { loadModel, openApp, pickPhotos } from './support/app.ts';

const COUNT = 40;

const grid = (page: Page) => page.getByTestId('shoot-grid');
const cells = (page: Page) => page.getByTestId('grid-cell');
const selectedCell = (page: Page) =>
  page.locator('[data-testid="grid-cell"][aria-selected="true"]');

/**
 * Every cell of the grid in its shown order, read by scrolling the grid from top to bottom (only
 * the rows in view exist at any time): the photo's name and the score written in the cell.
 */
async function shownCells(page: Page): Promise<{ name: string; score: string }[]> {
  return grid(page).evaluate(async (el: HTMLElement) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
    const columns = Number(el.dataset.columns);
    const byIndex = new Map<number, { name: string; score: string }>();
    for (let top = 0; ; top += el.clientHeight / 2) {
      el.scrollTop = top;
      await frame();
      await frame();
      for (const cell of el.querySelectorAll<HTMLElement>('[data-testid="grid-cell"]')) {
        const row = Number(cell.parentElement!.getAttribute('aria-rowindex')) - 1;
        const column = Number(cell.getAttribute('aria-colindex')) - 1;
        byIndex.set(row * columns + column, {
          name: cell.dataset.name ?? '',
          score: cell.querySelector('[data-testid="cell-score"]')?.textContent ?? '',
        });
      }
      if (top >= el.scrollHeight) break;
    }
    el.scrollTop = 0;
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  });
}

test('look through a shoot: grid, keys, sort, filter, loupe, compare and the help', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const photos = await ensureShootPhotos(COUNT, 480);
  await openApp(page, { device: 'wasm', maxTokens: '4' });
  await loadModel(page);
  const started = Date.now();
  await pickPhotos(page, ...photos);

  // A shoot opens in the grid, and the grid holds only the rows in view, not 40 cells.
  await expect(page.getByTestId('shoot-views')).toHaveAttribute('data-mode', 'grid');
  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-measured', String(COUNT), {
    timeout: 120_000,
  });
  const columns = Number(await grid(page).getAttribute('data-columns'));
  expect(columns).toBeGreaterThan(1);
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(Math.ceil(COUNT / columns)));
  const inDom = await cells(page).count();
  expect(inDom).toBeGreaterThan(0);
  expect(inDom).toBeLessThan(COUNT);
  const all = await shownCells(page);
  expect(all.map((c) => c.name)).toEqual(photos.map((p) => p.split('/').pop()));

  // Arrows move the selection (↓ by a whole row), P / X / 3 mark the selected photo. (The
  // scores keep coming in meanwhile.)
  const cellNamed = (name: string) =>
    page.locator(`[data-testid="grid-cell"][data-name="${name}"]`);
  await cells(page).first().click();
  await expect(cells(page).first()).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(selectedCell(page)).toHaveAttribute('data-name', 'shoot-0002.jpg');
  await expect(selectedCell(page)).toBeFocused();
  await page.keyboard.press('p');
  await expect(cellNamed('shoot-0002.jpg').getByTestId('cell-flag')).toHaveText('Pick');
  await page.keyboard.press('ArrowDown');
  const below = `shoot-${String(2 + columns).padStart(4, '0')}.jpg`;
  await expect(selectedCell(page)).toHaveAttribute('data-name', below);
  await page.keyboard.press('x');
  await page.keyboard.press('3');
  await expect(cellNamed(below).getByTestId('cell-flag')).toHaveText('Rejected');
  await expect(cellNamed(below).getByTestId('cell-stars')).toHaveAccessibleName('3 stars');
  await expect(cellNamed('shoot-0002.jpg').getByTestId('cell-stars')).toHaveAccessibleName(
    '0 stars',
  );

  // Keys typed into a field are text, never shortcuts.
  await page.getByTestId('filter-score-min').focus();
  await page.keyboard.press('p');
  await page.keyboard.press('5');
  await expect(page.getByTestId('filter-score-min')).toHaveValue('5');
  await page.getByTestId('filter-score-min').fill('1');
  await expect(cellNamed(below).getByTestId('cell-flag')).toHaveText('Rejected');
  await expect(cellNamed(below).getByTestId('cell-stars')).toHaveAccessibleName('3 stars');

  // E: the loupe shows the selected photo; G: back to the grid.
  await grid(page).click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('e');
  await expect(page.getByTestId('shoot-views')).toHaveAttribute('data-mode', 'loupe');
  await expect(page.getByTestId('photo-canvas')).toHaveAttribute('aria-label', below);
  await page.keyboard.press('g');
  await expect(page.getByTestId('shoot-views')).toHaveAttribute('data-mode', 'grid');

  // ?: the keyboard help; Esc closes it.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Flag as pick');
  await expect(help).toContainText('Compare');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  await expect(page.getByTestId('work-progress')).toHaveAttribute('data-scored', String(COUNT), {
    timeout: 180_000,
  });
  console.info(
    `${COUNT} photos measured and scored in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await expectAccessible(page, 'shoot grid');

  // Sorted by score, the cells read from the highest shown score down.
  await page.getByTestId('sort-key').selectOption('score');
  const byScore = await shownCells(page);
  expect(byScore).toHaveLength(COUNT);
  const scores = byScore.map((c) => Number(c.score));
  expect(scores.every((s) => s >= 1 && s <= 5)).toBe(true);
  expect(new Set(scores).size).toBeGreaterThan(1);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));

  // A filter: just the rejected photo.
  await page.getByTestId('filter-rejected').check();
  await expect(cells(page)).toHaveCount(1);
  await expect(cells(page).first()).toHaveAttribute('data-name', below);
  await expect(page.getByTestId('shown-count')).toHaveText(`1 of ${COUNT} photos`);
  await page.getByTestId('filter-rejected').uncheck();
  await expect(page.getByTestId('shown-count')).toHaveText(`${COUNT} photos`);

  // C: the selected photo beside the next one, each with its score, levels and measures.
  await grid(page).click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('c');
  await expect(page.getByTestId('shoot-views')).toHaveAttribute('data-mode', 'compare');
  const panes = page.getByTestId('compare-pane');
  await expect(panes).toHaveCount(2);
  for (const pane of await panes.all()) {
    await expect(pane.getByTestId('compare-score')).toHaveText(/^[1-5]\.\d\d$/);
    await expect(pane.getByTestId('compare-levels')).toContainText('Excellent');
    await expect(pane.getByTestId('compare-measures')).toContainText('Sharpness');
  }
  await expect(panes.first().getByRole('heading')).toContainText(below);
  // The keys act on the active side; a click makes the other side active.
  await page.keyboard.press('u');
  await expect(panes.first().getByRole('button', { name: 'Reject' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await panes.nth(1).click();
  await page.keyboard.press('p');
  await expect(panes.nth(1).getByRole('button', { name: 'Pick' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expectAccessible(page, 'compare view');
});
