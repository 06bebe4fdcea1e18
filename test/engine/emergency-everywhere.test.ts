/**
 * The emergency answer comes first in every waiting state of every flow, in every language:
 * for "sos" and for one natural sentence per language, with and without a known country.
 * Asserts the reply itself: the emergency intro and the country's emergency number. Waiting states
 * inside a called sub-flow are also reached for real (by pressing buttons from /start), so that the
 * session carries its call stack and parameters: there, after the answer, the conversation is still
 * in the call, at the same question.
 */
import { describe, expect, it } from 'vitest';
import { numbersOf, type Outbound, type Session } from '../../src/engine/index.js';
import { shippedEngine } from '../helpers/content.js';

const built = shippedEngine();
const { engine, content, directory } = built;

/** One sentence per language, as a person in danger might type it (not taken from any evaluation set). */
const SENTENCES: Record<string, string> = {
  en: "they took my passport and won't let me leave",
  uk: 'вони забрали мій паспорт і не випускають мене',
  ru: 'они забрали мой паспорт и не выпускают меня',
  ro: 'mi-au luat pașaportul și nu mă lasă să plec',
  sr: 'uzeli su mi pasoš i ne puštaju me da odem',
  'pt-BR': 'pegaram meu passaporte e não me deixam sair',
  es: 'me quitaron el pasaporte y no me dejan salir',
  fr: 'ils ont pris mon passeport et ne me laissent pas partir',
  hi: 'उन्होंने मेरा पासपोर्ट ले लिया और मुझे जाने नहीं देते',
  tl: 'kinuha nila ang passport ko at hindi ako pinapaalis',
  km: 'គេយកលិខិតឆ្លងដែនខ្ញុំ ហើយមិនឱ្យខ្ញុំចេញទេ',
  ar: 'أخذوا جواز سفري ولا يسمحون لي بالمغادرة',
};

/** Every state a conversation can wait in: questions and screening. */
const waitingStates = [...content.flows.values()].flatMap((flow) =>
  Object.entries(flow.states)
    .filter(([, state]) => 'ask' in state || 'screening' in state)
    .map(([name]) => ({ flow: flow.id, version: flow.version, state: name })),
);

const restingIn = (at: (typeof waitingStates)[number], language: string, country?: string): Session => ({
  v: 1,
  flow: at.flow,
  version: at.version,
  state: at.state,
  ctx: { language, ...(country ? { country } : {}), answers: {}, factCursor: 0 },
  turns: 1,
  seen: 0,
});

/** Sessions resting inside a call, reached by pressing every button from /start (one per flow/state/stack). */
function sessionsInCalls(): Session[] {
  const found = new Map<string, Session>();
  const seen = new Set<string>();
  const base = { conversation: 'walk', channel: 'test' as const };
  const queue: { session: Session; buttons: string[] }[] = [];
  const push = (result: { session: Session | null; reply: { messages: Outbound[] } }) => {
    if (!result.session) return;
    const buttons = result.reply.messages.flatMap((m) => (m.type === 'choices' ? m.choices.map((c) => c.id) : []));
    queue.push({ session: result.session, buttons });
  };
  push(engine.step(undefined, { ...base, event: { type: 'start', payload: 'md_en' } }, 0));
  for (let steps = 0; queue.length && steps < 400; steps++) {
    const { session, buttons } = queue.shift()!;
    const key = `${session.flow}/${session.state}/${JSON.stringify(session.stack ?? [])}/${JSON.stringify(session.ctx.params ?? {})}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (session.stack?.length) found.set(key, session);
    for (const id of buttons) if (!id.startsWith('!')) push(engine.step(session, { ...base, event: { type: 'choice', id } }, steps));
  }
  return [...found.values()];
}
const inCalls = sessionsInCalls();

const MD_EMERGENCY = directory.country('MD')!.emergency.number;
const isEmergencyNumber = (m: Outbound) => numbersOf([m]).some((n) => n.number === MD_EMERGENCY);

describe('the emergency answer in every waiting state, in every language', () => {
  it('covers every language and a good number of states, and states inside calls', () => {
    expect(Object.keys(SENTENCES).sort()).toEqual([...built.translator.languages].sort());
    expect(waitingStates.length).toBeGreaterThanOrEqual(8);
    // Every waiting state of a called flow is reached inside a call, for every value it is called with.
    for (const flow of content.flows.values()) {
      if (!flow.params) continue;
      for (const [name, state] of Object.entries(flow.states)) {
        if (!('ask' in state || 'screening' in state)) continue;
        expect(
          inCalls.some((s) => s.flow === flow.id && s.state === name && s.stack?.length),
          `${flow.id}/${name} inside a call`,
        ).toBe(true);
      }
    }
    expect(new Set(inCalls.map((s) => JSON.stringify(s.ctx.params))).size).toBeGreaterThanOrEqual(4);
  });

  for (const language of Object.keys(SENTENCES)) {
    it(`${language}: inside a called sub-flow, "sos" and a typed sentence answer with the emergency number first, then the same question of the call`, () => {
      const failures: string[] = [];
      for (const walked of inCalls) {
        const at = `${walked.flow}/${walked.state} (called with ${JSON.stringify(walked.ctx.params)})`;
        for (const text of ['sos', SENTENCES[language]!]) {
          const session: Session = { ...walked, ctx: { ...walked.ctx, language } };
          const result = engine.step(session, { conversation: 'e', channel: 'test', event: { type: 'text', text } }, 1);
          const messages = result.reply.messages;
          const first = messages[0];
          if (!(first && 'key' in first && first.key === 'emergency.intro' && messages.some(isEmergencyNumber)))
            failures.push(`${at} "${text}": ${messages.map((m) => ('key' in m ? m.key : m.type)).join(', ')}`);
          // Still in the call: same step, same caller waiting, same parameters; the question again.
          const after = result.session;
          if (!after || after.flow !== walked.flow || after.state !== walked.state || JSON.stringify(after.stack) !== JSON.stringify(walked.stack))
            failures.push(`${at} "${text}": left the call (now ${after?.flow}/${after?.state}, stack ${JSON.stringify(after?.stack)})`);
          else if (JSON.stringify(after.ctx.params) !== JSON.stringify(walked.ctx.params)) failures.push(`${at} "${text}": lost its parameters`);
          if (messages.at(-1)?.type !== 'choices') failures.push(`${at} "${text}": the question did not come again`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  for (const language of Object.keys(SENTENCES)) {
    it(`${language}: "sos" and a typed sentence answer with the emergency number first`, () => {
      const failures: string[] = [];
      for (const at of waitingStates) {
        for (const text of ['sos', 'SOS!', SENTENCES[language]!]) {
          const result = engine.step(restingIn(at, language, 'MD'), { conversation: 'e', channel: 'test', event: { type: 'text', text } }, 1);
          const messages = result.reply.messages;
          const ok =
            messages[0] !== undefined &&
            'key' in messages[0] &&
            messages[0].key === 'emergency.intro' &&
            messages.some(isEmergencyNumber) &&
            result.notes.some((n) => n.type === 'intent' && n.intent === 'emergency');
          if (!ok) failures.push(`${at.flow}/${at.state} "${text}": ${messages.map((m) => ('key' in m ? m.key : m.type)).join(', ')}`);
          // Without a country, the numbers of likely countries come first, then the country question.
          const unknown = engine.step(restingIn(at, language), { conversation: 'e', channel: 'test', event: { type: 'text', text } }, 1);
          const first = unknown.reply.messages[0];
          if (!(first?.type === 'numbers' && first.key === 'emergency.intro_no_country' && numbersOf(unknown.reply.messages).length > 0)) {
            failures.push(`${at.flow}/${at.state} "${text}" without a country: ${first && 'key' in first ? first.key : first?.type}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
