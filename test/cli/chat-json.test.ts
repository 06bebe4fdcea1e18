/** `lantern chat --json [--fresh]` and `lantern explain`: the stable interfaces evaluation tools read. */
import { describe, expect, it } from 'vitest';
import { jsonTurn } from '../../src/cli/chat-json.js';
import { buildEngine, numbersOf, type Outbound } from '../../src/engine/index.js';
import { trainExampleModel, type ExampleFile } from '../../src/understanding/index.js';
import { lantern } from '../helpers/cli.js';
import { loadShipped } from '../helpers/content.js';

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('lantern chat --json', () => {
  it('prints one JSON line per input line with turn, input, intent, concepts, country and messages, nothing else', async () => {
    const { code, out, err } = await lantern(
      ['chat', '--json', '--lang', 'en', '--country', 'MD'],
      'hello there\nthey took my passport and wont let me leave\n/menu\n',
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    const turns = lines(out);
    expect(turns.map((t) => Object.keys(t))).toEqual(Array(3).fill(['turn', 'input', 'intent', 'concepts', 'country', 'messages']));
    expect(turns.map((t) => [t.turn, t.input, t.intent, t.country])).toEqual([
      [1, 'hello there', 'not_understood', 'MD'],
      [2, 'they took my passport and wont let me leave', 'emergency', 'MD'],
      [3, '/menu', 'menu', 'MD'],
    ]);
    const concepts = turns[1]!.concepts as { id: string; words: string[] }[];
    expect(concepts).toEqual(expect.arrayContaining([{ id: 'document', words: ['passport'] }, expect.objectContaining({ id: 'taken' })]));
    const messages = turns[1]!.messages as Outbound[];
    expect(numbersOf(messages).some((n) => n.number === '112')).toBe(true);
  });

  it('--fresh starts a new conversation for every line: a country typed on one line is not known on the next', async () => {
    const typed = 'sos\nMoldova\nsos\n';
    const kept = lines((await lantern(['chat', '--json'], typed)).out);
    const fresh = lines((await lantern(['chat', '--json', '--fresh'], typed)).out);
    // In one conversation "sos" asks the country, "Moldova" answers it, and the next "sos" knows it.
    expect(kept.map((t) => t.country)).toEqual([null, 'MD', 'MD']);
    // Fresh: "Moldova" at the main menu is only offered (never set), and the last "sos" starts from nothing.
    expect(fresh.map((t) => [t.intent, t.country])).toEqual([
      ['emergency', null],
      ['not_understood', null],
      ['emergency', null],
    ]);
  });
});

describe('lantern explain', () => {
  it('shows the intent, the concepts with their words, the rule that fired and the places named', async () => {
    const { code, out } = await lantern(['explain', 'помогите, я в Дубае', '--lang', 'ru']);
    expect(code).toBe(0);
    const explained = JSON.parse(out) as { intent: string; emergency: { rule: string } | null; places: { country: string }[]; concepts: { id: string }[] };
    expect(explained.intent).toBe('emergency');
    expect(explained.emergency?.rule).toEqual(expect.any(String));
    expect(explained.places.map((p) => p.country)).toEqual(['AE']);
    expect(explained.concepts.map((c) => c.id)).toContain('help_plea');
  });

  it('asks for the message when none is given', async () => {
    const { code, err } = await lantern(['explain']);
    expect(code).toBe(2);
    expect(err).toContain('give the message to explain');
  });
});

describe('a chat --json line decided by the example messages', () => {
  // Examples of one made-up kind, so that the rules (which know no "container") cannot decide it.
  const examples: ExampleFile[] = [
    {
      language: 'en',
      emergency: [
        { text: 'they keep all of us in the container every night' },
        { text: 'we sleep in a container at the farm and the door is shut' },
        { text: 'twenty of us in one container no window' },
        { text: 'the container is hot at night and nobody comes' },
      ],
      ordinary: [
        { text: 'how much does a shipping container cost' },
        { text: 'i work at a farm near the port' },
        { text: 'is the night shift paid more' },
        { text: 'what time does the office open' },
      ],
    },
  ];

  it('keeps its shape: the emergency intent, and the reason as one more concept with the words that weighed most', () => {
    const { content } = loadShipped();
    const exampleModel = trainExampleModel(examples, content.understanding.files);
    const engine = buildEngine({ ...content, understanding: { ...content.understanding, examples, exampleModel } }, { language: 'en' }).engine;
    const text = 'twenty of us sleep in the container';
    const base = { conversation: 'json', channel: 'test' as const, languageHint: 'en' };
    const started = engine.step(undefined, { ...base, event: { type: 'start' } }, 0);
    const line = jsonTurn(1, text, engine.step(started.session ?? undefined, { ...base, event: { type: 'text', text } }, 0));
    expect(Object.keys(line)).toEqual(['turn', 'input', 'intent', 'concepts', 'country', 'messages']);
    expect(line.intent).toBe('emergency');
    const reason = line.concepts.find((c) => c.id === 'like_emergency_examples');
    expect(reason?.words).toContain('container');
    expect(reason!.words.length).toBeLessThanOrEqual(3);
    expect(line.concepts.filter((c) => c.id === 'like_emergency_examples')).toHaveLength(1);
  });
});
