/**
 * `lantern studio` end to end in Chromium, on a temporary copy of flows/ and locales/ with every
 * `lantern lint` check: a Romanian button label changed in the Translations table shows in the
 * Simulator's widget; a dead end added on the Flows page is refused with the lint message beside
 * the field; a rollback on the Versions page restores the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '../../src/studio/index.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { contentCopy } from '../helpers/content.js';

const available = chromiumAvailable();
/** A save runs every lint check (seconds on a loaded machine): wait for its answer generously. */
const SAVE = { timeout: 55_000, interval: 250 };

describe.runIf(available)('lantern studio in Chromium', () => {
  const copy = contentCopy({});
  const roMenu = join(copy.dir, 'locales', 'ro', 'menu.json');
  const mainFlow = join(copy.dir, 'flows', 'main.flow.yaml');
  const original = { roMenu: readFileSync(roMenu, 'utf8'), mainFlow: readFileSync(mainFlow, 'utf8') };
  const label = 'Verificați oferta mea de muncă';
  let studio: RunningStudio;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    studio = await startStudio({ dir: copy.dir, port: 0 });
    chromium = await launchChromium({ viewport: { width: 1300, height: 900 } });
    page = await chromium.browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await chromium?.close();
    await studio?.close();
    copy.cleanup();
  });

  it('a Romanian button label changed in the table shows in the simulator', async () => {
    await page.goto(`${studio.url}translations`);
    await page.locator('#tr-lang').selectOption('ro');
    await page.locator('#tr-filter').fill('menu.check_offer');
    const cell = page.locator('tr[data-key="menu.check_offer"] td[data-lang="ro"]');
    await cell.click();
    await cell.locator('textarea').fill(label);
    await cell.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#notice').textContent(), SAVE).toMatch(/^Saved as a new version/);
    expect(JSON.parse(readFileSync(roMenu, 'utf8')).check_offer).toBe(label);
    // The row now carries the "not reviewed" mark (a native speaker has not read the new text).
    await expect.poll(() => page.locator('tr[data-key="menu.check_offer"] td[data-lang="ro"] .mark.r').count()).toBe(1);

    await page.goto(`${studio.url}simulator`);
    await page.locator('#sim-lang').selectOption('ro');
    await page.locator('#sim-country').selectOption('MD');
    const frame = () => page.frames().find((f) => f.url().includes('/widget/frame?lang=ro&country=MD'));
    await expect.poll(() => frame() !== undefined, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => frame()!.getByRole('button', { name: label }).count(), { timeout: 30_000 }).toBe(1);
    // Per turn, the page shows what the bot read: SOS is the emergency intent.
    await frame()!.locator('#input').fill('SOS');
    await frame()!.locator('#input').press('Enter');
    await expect.poll(() => page.locator('#sim-trace').textContent(), { timeout: 20_000 }).toContain('intent: emergency');
    await page.screenshot({ path: '/tmp/lantern-studio-simulator.png' });
  });

  it('a dead end added on the Flows page is refused, with the lint message beside the field', async () => {
    await page.goto(`${studio.url}flows`);
    await page.locator('#flow-pick').selectOption('main');
    await expect.poll(() => page.locator('#graph g.node[data-step="menu"]').count(), { timeout: 20_000 }).toBe(1);
    await page.locator('#add-step').click();
    await page.locator('#new-step-name').fill('trap');
    await page.locator('#new-step-yaml').fill('ask: menu.question\nchoices:\n  - id: again\n    label: menu.check_offer\n    next: trap\n');
    await page.locator('#new-step-save').click();
    await expect.poll(() => page.locator('#new-step-messages').textContent(), SAVE).toContain('dead end at `trap`');
    await page.screenshot({ path: '/tmp/lantern-studio-flows.png' });
    expect(await page.locator('#notice').textContent()).toMatch(/^Not saved/);
    expect(readFileSync(mainFlow, 'utf8')).toBe(original.mainFlow);
  });

  it('"start at this step" opens the simulator at that question, not at the welcome', async () => {
    const facts = JSON.parse(readFileSync(join(copy.dir, 'locales', 'en', 'facts.json'), 'utf8')) as { more: string; another: string };
    const welcome = (JSON.parse(readFileSync(join(copy.dir, 'locales', 'en', 'menu.json'), 'utf8')) as { welcome: string }).welcome;
    // The facts' "another fact?" question lives in the sub-flow every topic calls (flow format v2).
    await page.goto(`${studio.url}simulator?flow=fact_topic&state=more`);
    const frame = () => page.frames().find((f) => f.url().includes('/widget/frame?lang=en'));
    await expect.poll(() => frame()?.getByRole('button', { name: facts.another }).count(), { timeout: 30_000 }).toBe(1);
    expect(await frame()!.getByText(facts.more, { exact: true }).count()).toBe(1);
    expect(await frame()!.getByText(welcome, { exact: true }).count()).toBe(0);
    await expect.poll(() => page.locator('#sim-trace').textContent(), { timeout: 10_000 }).toContain('now at fact_topic.more');
  });

  it('Hotlines: a number is checked as it is typed; a save without a source is refused beside the field', async () => {
    const hotlines = join(copy.dir, 'flows', 'hotlines.yaml');
    const before = readFileSync(hotlines, 'utf8');
    await page.goto(`${studio.url}hotlines`);
    await page.locator('#country').selectOption('MD');
    const number = page.locator('[data-field="helplines.0.numbers.1.number"]');
    await expect.poll(() => number.count(), { timeout: 10_000 }).toBe(1);
    await number.locator('input').fill('+373 22');
    await expect.poll(() => number.locator('.messages').textContent(), { timeout: 10_000 }).toMatch(/\w/);
    expect(await number.locator('.problem').count()).toBe(1);
    await number.locator('input').fill('+373 22 23 33 09');
    await expect.poll(() => number.locator('.messages').textContent(), { timeout: 10_000 }).toBe('Valid number for MD.');
    const sources = page.locator('[data-field="emergency.sources"]');
    await sources.locator('textarea').fill('');
    await page.locator('#hotline-form').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => sources.locator('.problem').count(), SAVE).toBe(1);
    expect(readFileSync(hotlines, 'utf8')).toBe(before);
  });

  it('a rollback on the Versions page restores the file', async () => {
    await page.goto(`${studio.url}versions`);
    const version = page.locator('.version', { hasText: 'Romanian text of menu.check_offer' });
    await expect.poll(() => version.count(), { timeout: 10_000 }).toBe(1);
    await version.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => readFileSync(roMenu, 'utf8'), SAVE).toBe(original.roMenu);
    await expect.poll(() => page.locator('.version').first().textContent(), { timeout: 10_000 }).toContain('rolled back');
    expect(errors).toEqual([]);
  });
});
