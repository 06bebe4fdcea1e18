/**
 * In Arabic, a phone number must show its digit groups in the order people dial them ("+971 4 702
 * 1111"), not reversed ("1111 702 4 +971"), as the issue saw it. Chromium lays out the web chat's
 * text (the self-hosted Direct Line's plain text, inside a right-to-left bubble) and the test
 * measures where each digit group lands. The same text without the isolates is measured too: it
 * must come out reversed, so the test is known to see the bug it guards against.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../../src/channels/botframework/render-reply.js';
import { createHotlineDirectory, hotlineFileSchema } from '../../../src/content/index.js';
import { createHotlineReplies } from '../../../src/engine/hotline-replies.js';
import { buildEngine } from '../../../src/engine/index.js';
import { chromiumAvailable, launchChromium } from '../../helpers/chromium.js';
import { loadShipped } from '../../helpers/content.js';

const available = chromiumAvailable();

const NUMBER = '+971 4 702 1111';
const GROUPS = ['+971', '4', '702', '1111'];

/** The Arabic emergency answer for a country with a grouped number, as the web chat receives it. */
function arabicAnswerText(): string {
  const { content } = loadShipped();
  const { translator } = buildEngine(content, { language: 'en' });
  const sources = ['https://example.org/source'];
  const file = hotlineFileSchema.parse({
    countries: {
      AE: {
        emergency: { number: '999', sources, checked: '2026-11-28', confidence: 'verified-from-source' },
        helplines: [
          {
            id: 'ae-test',
            organisation: 'وزارة الموارد البشرية',
            name: 'Labour claims',
            kind: 'labour',
            numbers: [{ number: NUMBER, from: 'anywhere' }],
            sources,
            checked: '2026-11-28',
            confidence: 'verified-from-source',
          },
        ],
      },
    },
  });
  const replies = createHotlineReplies(createHotlineDirectory(file), translator);
  const [activity] = renderReply({ messages: replies.emergency('ar', 'AE'), language: 'ar', direction: 'rtl' }, 'directline', 'per-message');
  return String(activity!.text);
}

/** The left edge of each digit group of the number's first occurrence, as Chromium lays out the text right to left. */
async function groupPositions(page: Page, text: string): Promise<number[]> {
  await page.setContent(
    '<!doctype html><html lang="ar" dir="rtl"><body><div id="bubble" style="white-space:pre-wrap;font:16px sans-serif;width:480px"></div></body></html>',
  );
  return page.evaluate(
    ({ text, groups }) => {
      const bubble = document.getElementById('bubble')!;
      bubble.textContent = text;
      const node = bubble.firstChild as Text;
      // Where the number starts, whatever marks surround it.
      const start = text.search(/\+971\s4\s702\s1111/);
      let from = start;
      return groups.map((group) => {
        const at = text.indexOf(group, from);
        from = at + group.length;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + group.length);
        return range.getBoundingClientRect().left;
      });
    },
    { text, groups: GROUPS },
  );
}

describe.runIf(available)('phone numbers in Arabic text, laid out by Chromium', () => {
  let session: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    session = await launchChromium({ viewport: { width: 600, height: 800 }, locale: 'ar' });
    page = await session.browser.newPage();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the digit groups left to right, in dialling order', async () => {
    const text = arabicAnswerText();
    expect(text).toContain(NUMBER);
    const left = await groupPositions(page, text);
    for (let i = 1; i < left.length; i++) expect(left[i], `${GROUPS[i]} after ${GROUPS[i - 1]}`).toBeGreaterThan(left[i - 1]!);
  });

  it('would show them reversed without the isolates (the test sees the bug)', async () => {
    const bare = arabicAnswerText().replace(/[\u2066-\u2069]/g, '');
    const left = await groupPositions(page, bare);
    expect(left[3]!).toBeLessThan(left[0]!);
  });
});
