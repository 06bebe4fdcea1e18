/**
 * Walks every path of every shipped flow in every shipped locale by pressing every button (and
 * answering free-text questions), and fails on a missing key, an untranslated string, an empty
 * message or a button over Telegram's limits. In every state it also asks to be forgotten (the
 * session must be deleted), and every verdict shown (result titles, level lines, explanations) is
 * checked against the locale's words for "safe" (`neverSafe` in its _meta.json).
 */
import { describe, expect, it } from 'vitest';
import type { InboundEvent, Outbound, Session } from '../../src/engine/index.js';
import { isVerdictKey, MAX_CALLBACK_BYTES, MAX_LABEL_CHARS, safeClaims } from '../../src/content/index.js';
import { flattenKeys } from '../../src/i18n/index.js';
import { shippedEngine } from '../helpers/content.js';

const built = shippedEngine();
const { engine, translator: tr, content } = built;
const SAMPLE_TEXT = 'Job in another country, good salary, send your passport and pay a fee for the visa.';
/** `lng:key` of every verdict the walk showed (so the "never safe" check is known to have run). */
const verdicts = new Set<string>();

function problemsIn(lng: string, messages: Outbound[]): string[] {
  const problems: string[] = [];
  const same = new Set(content.locales.meta[lng]?.sameAsEnglish ?? []);
  for (const m of messages) {
    if (m.type === 'text' || m.type === 'choices') {
      if (!m.text.trim()) problems.push(`empty message ${m.key ?? ''}`);
      if (m.key && !tr.has(lng, m.key) && !tr.has(lng, `${m.key}_other`)) problems.push(`missing key ${m.key} in ${lng}`);
      if (m.key && lng !== 'en' && !same.has(m.key) && m.text === tr.t('en', m.key) && /\p{L}{3}/u.test(m.text))
        problems.push(`untranslated ${m.key} in ${lng}`);
    }
    if (m.type === 'choices') {
      for (const c of m.choices) {
        if (!c.label.trim()) problems.push(`empty button label on ${m.key}`);
        if ([...c.label].length > MAX_LABEL_CHARS) problems.push(`button label over ${MAX_LABEL_CHARS} chars: ${c.label}`);
        if (Buffer.byteLength(c.id) > MAX_CALLBACK_BYTES) problems.push(`button id over ${MAX_CALLBACK_BYTES} bytes: ${c.id}`);
      }
    }
    if ((m.type === 'text' || m.type === 'choices') && m.key && isVerdictKey(m.key)) {
      verdicts.add(`${lng}:${m.key}`);
      const neverSafe = content.locales.meta[lng]?.neverSafe;
      if (!neverSafe) problems.push(`no neverSafe words in locales/${lng}/_meta.json`);
      // The verdict's own texts (a flag's message also carries advice and may quote the ad).
      const own = [m.key, ...(m.key.endsWith('.title') ? [m.key.replace(/title$/, 'text')] : [])].map((k) => tr.t(lng, k)).join('\n');
      for (const word of neverSafe ? safeClaims(own, neverSafe) : []) problems.push(`${m.key} in ${lng} calls the offer safe: "${word}"`);
    }
    if (m.type === 'contact' && (!m.number.trim() || !m.dial.trim() || !m.label.trim())) problems.push(`empty contact ${JSON.stringify(m)}`);
    if (m.type === 'numbers') {
      for (const line of m.sections.flatMap((s) => s.lines)) {
        if (!line.title.trim() || line.numbers.some((n) => !n.number.trim() || !n.dial.trim())) problems.push(`empty number line ${JSON.stringify(line)}`);
        if (line.channels.some((c) => !/^(https?:\/\/|sms:)/.test(c.url) || !c.text.trim())) problems.push(`bad channel ${JSON.stringify(line.channels)}`);
      }
    }
    if (m.type === 'link' && (!/^https?:\/\//.test(m.url) || !m.label.trim())) problems.push(`bad link ${JSON.stringify(m)}`);
  }
  return problems;
}

/** Explores from one start; returns the problems and the flow/state pairs visited. */
function explore(lng: string, payload: string | undefined) {
  const visited = new Set<string>();
  const problems: string[] = [];
  const base = { conversation: 'walker', channel: 'test' as const, languageHint: lng };
  const first = engine.step(undefined, { ...base, event: { type: 'start', ...(payload ? { payload } : {}) } }, 0);
  const queue: { session: Session; messages: Outbound[] }[] = [{ session: first.session!, messages: first.reply.messages }];
  problems.push(...problemsIn(lng, first.reply.messages));
  let steps = 0;
  let forgets = 0;
  while (queue.length && steps < 5000) {
    const { session, messages } = queue.shift()!;
    // Screening rests in one state for every question: the number of answers tells them apart.
    const key = `${session.flow}/${session.state}/${session.ctx.country ?? '-'}/${Object.keys(session.ctx.answers).length}`;
    if (visited.has(key)) continue;
    visited.add(key);
    // Forget works from here: the session is deleted, and the reply says so.
    const forgot = engine.step(session, { ...base, event: { type: 'command', command: 'forget' } }, steps);
    forgets++;
    if (forgot.session !== null) problems.push(`${key}: /forget kept the session`);
    if (!forgot.reply.messages.some((m) => m.type === 'forget')) problems.push(`${key}: /forget did not confirm`);
    const state = session.flow && session.state ? content.flows.get(session.flow)?.states[session.state] : undefined;
    const buttons = messages.filter((m) => m.type === 'choices').at(-1);
    const events: InboundEvent[] = [];
    if (buttons && buttons.type === 'choices')
      events.push(...buttons.choices.slice(0, 'options' in (state ?? {}) ? 3 : undefined).map((c) => ({ type: 'choice' as const, id: c.id })));
    if (state && 'input' in state) events.push({ type: 'text', text: SAMPLE_TEXT });
    events.push({ type: 'command', command: 'help' }, { type: 'text', text: 'sos' }, { type: 'unsupported', kind: 'sticker' });
    for (const event of events) {
      steps++;
      const result = engine.step(session, { ...base, event }, steps);
      // Pressing another language in the language menu switches the reply language: check against it.
      problems.push(...problemsIn(result.reply.language, result.reply.messages).map((p) => `${key} ${event.type}: ${p}`));
      if (result.reply.messages.length === 0) problems.push(`${key} ${event.type}: no answer at all`);
      if (result.session) queue.push({ session: result.session, messages: result.reply.messages });
    }
  }
  return { visited, problems, forgets };
}

describe('every path of every flow in every language', () => {
  const everyAskState = [...content.flows.values()].flatMap((f) =>
    Object.entries(f.states)
      .filter(([, s]) => 'ask' in s)
      .map(([name]) => `${f.id}/${name}`),
  );

  for (const lng of tr.languages) {
    it(`${lng}: no missing, empty, untranslated or over-long text on any path`, () => {
      const seen = new Set<string>();
      const problems: string[] = [];
      let forgets = 0;
      for (const payload of [undefined, 'md', 'ua', 'br']) {
        const walk = explore(lng, payload);
        problems.push(...walk.problems);
        forgets += walk.forgets;
        for (const v of walk.visited) seen.add(v.split('/').slice(0, 2).join('/'));
      }
      expect([...new Set(problems)]).toEqual([]);
      // Every question of every flow was reached by pressing buttons.
      expect(everyAskState.filter((s) => !seen.has(s))).toEqual([]);
      // Verdicts no walk happened to reach (e.g. the low title when the walk answered "yes" first) are checked as written.
      const neverSafe = content.locales.meta[lng]?.neverSafe;
      expect(neverSafe, `neverSafe in locales/${lng}/_meta.json`).toBeDefined();
      const written = [...flattenKeys(content.locales.resources[lng] ?? {})].filter(([k]) => isVerdictKey(k));
      expect(written.length).toBeGreaterThan(20);
      expect(written.flatMap(([k, v]) => safeClaims(String(v), neverSafe!).map((w) => `${k}: "${w}"`))).toEqual([]);
      // /forget was tried in every state visited, and results were shown (the "never safe" check ran).
      expect(forgets).toBeGreaterThanOrEqual(seen.size);
      expect([...verdicts].filter((v) => v.startsWith(`${lng}:screening.level.`)).length).toBeGreaterThanOrEqual(1);
      expect([...verdicts].filter((v) => v.startsWith(`${lng}:`) && v.endsWith('.explanation')).length).toBeGreaterThanOrEqual(1);
    });
  }
});
