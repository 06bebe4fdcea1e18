/**
 * `lantern studio` end to end in Chromium, on a temporary copy of flows/ and locales/ with every
 * `lantern lint` check: a Romanian button label changed in the Translations table shows in the
 * Simulator's widget; a dead end added on the Flows page is refused with the lint message beside
 * the field; a step that calls a sub-flow with a parameter shows that topic's fact; a `when:` on the
 * country shows Moldova one step and Ukraine another; a save that removes the step a simulator
 * conversation waits in restarts it kindly at the menu; a rollback on the Versions page restores the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startStudio, type RunningStudio } from '../../src/studio/index.js';
import { chromiumAvailable, launchChromium } from '../helpers/chromium.js';
import { contentCopy } from '../helpers/content.js';

const available = chromiumAvailable();
/** A save runs every lint check (seconds on a loaded machine): wait for its answer generously. */
const SAVE = { timeout: 55_000, interval: 250 };
/** The widget and the bot's first answer take a few seconds on a loaded machine. */
const SHOWN = { timeout: 30_000 };

describe.runIf(available)('lantern studio in Chromium', () => {
  const copy = contentCopy({});
  const roMenu = join(copy.dir, 'locales', 'ro', 'menu.json');
  const mainFlow = join(copy.dir, 'flows', 'main.flow.yaml');
  const factsFlow = join(copy.dir, 'flows', 'facts.flow.yaml');
  const original = { roMenu: readFileSync(roMenu, 'utf8'), mainFlow: readFileSync(mainFlow, 'utf8'), factsFlow: readFileSync(factsFlow, 'utf8') };
  /** An English text of the copy, by key (`menu.rights`). */
  const en = (key: string): string => {
    const [ns, ...path] = key.split('.');
    let value: unknown = JSON.parse(readFileSync(join(copy.dir, 'locales', 'en', `${ns}.json`), 'utf8'));
    for (const part of path) value = (value as Record<string, unknown>)[part];
    if (typeof value !== 'string') throw new Error(`no English text ${key}`);
    return value;
  };
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

  /** Opens the Simulator in `on` (a fresh conversation) and waits for the widget's main menu. */
  async function simulator(on: Page, options: { lang?: string; country?: string; query?: string } = {}): Promise<() => Frame> {
    await on.goto(`${studio.url}simulator${options.query ?? ''}`);
    // Picking changes the conversation: only what differs from the page's defaults (English, no country).
    if (options.lang) await on.locator('#sim-lang').selectOption(options.lang);
    if (options.country) await on.locator('#sim-country').selectOption(options.country);
    const src = `/widget/frame?lang=${options.lang ?? 'en'}${options.country ? `&country=${options.country}` : '&host'}`;
    const frame = () => on.frames().find((f) => f.url().includes(src))!;
    await expect.poll(() => frame() !== undefined, SHOWN).toBe(true);
    return frame;
  }
  const shown = (frame: () => Frame, text: string) => frame().getByText(text, { exact: true }).count();

  it("a step that calls a sub-flow with a parameter shows that topic's fact, and another topic's after the return", async () => {
    const facts = (parse(readFileSync(join(copy.dir, 'flows', 'facts.yaml'), 'utf8')) as { facts: { topic: string; text: string }[] }).facts;
    const texts = (topic: string) => facts.filter((f) => f.topic === topic).map((f) => en(f.text));
    const factShown = async (frame: () => Frame, topic: string) => (await Promise.all(texts(topic).map((t) => shown(frame, t)))).reduce((a, b) => a + b, 0);
    const frame = await simulator(page);
    await frame()
      .getByRole('button', { name: en('menu.rights') })
      .click(SHOWN);
    // facts.pick calls fact_topic with `params: { topic: myths }`: a myth and the fact that answers it.
    await frame()
      .getByRole('button', { name: en('facts.topic.myths') })
      .click(SHOWN);
    await expect.poll(() => factShown(frame, 'myths'), SHOWN).toBe(1);
    expect(
      await frame()
        .getByText(/^Myth: "/)
        .count(),
    ).toBe(1);
    expect(await factShown(frame, 'rights')).toBe(0);
    await expect.poll(() => page.locator('#sim-trace').textContent(), SHOWN).toContain('now at fact_topic.more');
    // `return: topics` goes back to the calling flow's question; a new call with another topic.
    await frame()
      .getByRole('button', { name: en('facts.other_topics') })
      .click();
    await frame()
      .getByRole('button', { name: en('facts.topic.rights') })
      .click(SHOWN);
    await expect.poll(() => factShown(frame, 'rights'), SHOWN).toBe(1);
    expect(await factShown(frame, 'myths')).toBe(1);
  });

  it('a `when:` on the country: the helplines show Moldova one step and Ukraine another', async () => {
    const [md, ua] = [en('hotlines.md_offers'), en('hotlines.ua_abroad')];
    for (const [country, only, never] of [
      ['MD', md, ua],
      ['UA', ua, md],
    ] as const) {
      const frame = await simulator(page, { country });
      await frame()
        .getByRole('button', { name: en('menu.hotline') })
        .click(SHOWN);
      await expect.poll(() => shown(frame, only), SHOWN).toBe(1);
      expect(await shown(frame, never), `${country} must not see: ${never}`).toBe(0);
    }
  });

  it('a save that removes the step a simulator conversation waits in: its next message restarts kindly at the menu', async () => {
    // Staff add a question to the facts flow and try it from that step in a second tab.
    await page.goto(`${studio.url}flows`);
    await page.locator('#flow-pick').selectOption('facts');
    await expect.poll(() => page.locator('#graph g.node[data-step="after"]').count(), SHOWN).toBe(1);
    await page.locator('#add-step').click();
    await page.locator('#new-step-name').fill('quiz');
    await page
      .locator('#new-step-yaml')
      .fill(
        'ask: facts.more\nchoices:\n  - id: another\n    label: facts.another\n    next: pick\n  - id: menu\n    label: common.menu\n    next: { flow: main, state: menu }\n',
      );
    await page.locator('#new-step-save').click();
    await expect.poll(() => page.locator('#notice').textContent(), SAVE).toMatch(/^Saved as a new version/);
    const tab = await chromium.browser.newPage();
    tab.on('pageerror', (error) => errors.push(error.message));
    try {
      const frame = await simulator(tab, { query: '?flow=facts&state=quiz' });
      await expect
        .poll(
          () =>
            frame()
              .getByRole('button', { name: en('facts.another') })
              .count(),
          SHOWN,
        )
        .toBe(1);
      await expect.poll(() => tab.locator('#sim-trace').textContent(), SHOWN).toContain('now at facts.quiz');
      // A step after the flow's first question: the question alone, without the "in danger now?" line or the
      // intent of the event that re-asked it.
      expect(await frame().getByText(en('system.danger_line_no_country')).count()).toBe(0);
      expect(await tab.locator('#sim-trace').textContent()).not.toContain('unsupported');

      // The step goes away (a rollback is a save like any other) while the conversation waits in it.
      await page.goto(`${studio.url}versions`);
      const added = page.locator('.version', { hasText: 'added the step "quiz"' });
      await expect.poll(() => added.count(), SHOWN).toBe(1);
      await added.getByRole('button', { name: 'Roll back' }).click();
      await expect.poll(() => readFileSync(factsFlow, 'utf8'), SAVE).toBe(original.factsFlow);

      await frame().locator('#input').fill('hello');
      await frame().locator('#input').press('Enter');
      await expect.poll(() => shown(frame, en('system.updated')), SHOWN).toBe(1);
      await expect.poll(() => shown(frame, en('menu.question')), SHOWN).toBe(1);
      expect(
        await frame()
          .getByRole('button', { name: en('menu.rights') })
          .count(),
      ).toBe(1);
      expect(await shown(frame, en('system.not_understood'))).toBe(0);
      await expect.poll(() => tab.locator('#sim-trace .turn').last().textContent(), SHOWN).toContain('now at main.menu');
    } finally {
      await tab.close();
    }
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
