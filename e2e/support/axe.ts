/** axe-core in the journeys: no serious or critical violations on a view. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Runs axe on the page; fails on serious or critical violations and prints the rest. */
export async function expectAccessible(page: Page, view: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const grave = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = results.violations.map((v) => `${v.impact} ${v.id} ×${v.nodes.length}`);
  console.info(
    `axe, ${view}: ${results.violations.length} violations${summary.length ? ` (${summary.join(', ')})` : ''}, ${results.passes.length} rules passed`,
  );
  expect(
    grave.map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')}`,
    ),
    view,
  ).toEqual([]);
}
