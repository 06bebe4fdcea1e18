/**
 * The emergency answer comes first in every waiting state of every flow, in every language:
 * for "sos" and for one natural sentence per language, with and without a known country.
 * Asserts the reply itself: the emergency intro and the country's emergency number.
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

const MD_EMERGENCY = directory.country('MD')!.emergency.number;
const isEmergencyNumber = (m: Outbound) => numbersOf([m]).some((n) => n.number === MD_EMERGENCY);

describe('the emergency answer in every waiting state, in every language', () => {
  it('covers every language and a good number of states', () => {
    expect(Object.keys(SENTENCES).sort()).toEqual([...built.translator.languages].sort());
    expect(waitingStates.length).toBeGreaterThanOrEqual(8);
  });

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
