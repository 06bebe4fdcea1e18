import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboundEvent, Outbound, Session } from '../../src/engine/index.js';
import { loadShipped, root, shippedEngine } from '../helpers/content.js';

const { content } = loadShipped();
const facts = content.facts.facts;
const texts = JSON.parse(readFileSync(join(root, 'locales/en/facts.json'), 'utf8')) as Record<string, unknown>;
const MENU_TOPICS = ['rights', 'recruitment', 'scale', 'myths'] as const;
/** The menu button that opens each topic (see flows/facts.flow.yaml). */
const TOPIC_BUTTON: Record<(typeof MENU_TOPICS)[number], string> = { rights: 'rights', recruitment: 'traps', scale: 'scale', myths: 'myths' };

/** The English text behind a `facts.xxx` key, or undefined. */
const textOf = (key: string): unknown => texts[key.replace(/^facts\./, '')];
const allTexts = facts
  .flatMap((f) => [f.text, f.myth])
  .filter((k): k is string => k !== undefined)
  .map((k) => ({ key: k, text: textOf(k) }));

describe('shipped facts', () => {
  it('has at least 32 facts with unique ids, and at least 6 in every topic the menu offers', () => {
    expect(facts.length).toBeGreaterThanOrEqual(32);
    expect(new Set(facts.map((f) => f.id)).size).toBe(facts.length);
    expect(new Set(facts.map((f) => f.text)).size, 'each fact has its own text').toBe(facts.length);
    for (const topic of MENU_TOPICS) expect(facts.filter((f) => f.topic === topic).length, topic).toBeGreaterThanOrEqual(6);
    // A topic the menu does not offer would never be shown.
    expect(facts.filter((f) => !(MENU_TOPICS as readonly string[]).includes(f.topic))).toEqual([]);
  });

  it('has a short, non-empty English text for every text and myth key', () => {
    for (const { key, text } of allTexts) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim().length, key).toBeGreaterThan(0);
      expect((text as string).length, key).toBeLessThanOrEqual(320);
    }
  });

  it('keeps myths under the myths topic, and every myths entry names its myth', () => {
    for (const fact of facts) expect(fact.myth !== undefined, fact.id).toBe(fact.topic === 'myths');
  });

  it('gives every figure a source year and a web address', () => {
    for (const fact of facts) {
      const text = textOf(fact.text) as string;
      if (/\d/.test(text)) expect(fact.source.year, fact.id).toBeGreaterThanOrEqual(1900);
      expect(fact.source.url, fact.id).toMatch(/^https?:\/\/[^\s]+$/);
      expect(fact.source.title.trim().length, fact.id).toBeGreaterThan(3);
    }
  });

  it('never tells anyone that an offer is safe', () => {
    for (const { key, text } of allTexts) expect(text as string, key).not.toMatch(/safe offer|this offer is safe|offer is safe/i);
  });
});

describe('facts through the engine', () => {
  const { engine } = shippedEngine();
  const textKeys = new Map(facts.map((f) => [f.text, f]));

  /** Runs the events from a fresh conversation; returns each turn's messages. */
  function play(events: InboundEvent[]): Outbound[][] {
    let session: Session | undefined;
    return events.map((event, i) => {
      const result = engine.step(session, { conversation: 'facts-test', channel: 'test', event }, 1000 + i);
      session = result.session ?? undefined;
      return result.reply.messages;
    });
  }

  /** The fact shown in one turn and the link that follows its text. */
  function shown(messages: Outbound[]): { id: string; url: string | undefined; myth: string | undefined } {
    const at = messages.findIndex((m) => m.type === 'text' && m.key !== undefined && textKeys.has(m.key));
    expect(at, 'a fact text in the reply').toBeGreaterThanOrEqual(0);
    const message = messages[at]!;
    const fact = textKeys.get(message.type === 'text' ? message.key! : '')!;
    const link = messages[at + 1];
    const before = messages[at - 1];
    return {
      id: fact.id,
      url: link?.type === 'link' ? link.url : undefined,
      myth: before?.type === 'text' && before.key === fact.myth ? before.text : undefined,
    };
  }

  for (const topic of MENU_TOPICS) {
    it(`shows every ${topic} fact once when "Another fact" is pressed, each with its source link`, () => {
      const inTopic = facts.filter((f) => f.topic === topic);
      const presses = inTopic.length - 1;
      const turns = play([
        { type: 'start' },
        { type: 'choice', id: 'main/menu/rights' },
        { type: 'choice', id: `facts/pick/${TOPIC_BUTTON[topic]}` },
        ...Array.from({ length: presses }, (): InboundEvent => ({ type: 'choice', id: 'fact_topic/more/another' })),
      ]);
      const seen = turns.slice(2).map(shown);
      expect(seen).toHaveLength(inTopic.length);
      expect(new Set(seen.map((s) => s.id)).size).toBe(inTopic.length);
      for (const s of seen) {
        const fact = inTopic.find((f) => f.id === s.id);
        expect(fact, `${s.id} belongs to ${topic}`).toBeDefined();
        expect(s.url, s.id).toBe(fact!.source.url);
        if (fact!.myth) expect(s.myth, s.id).toContain(textOf(fact!.myth) as string);
      }
      // After each fact the user can ask for another one.
      for (const messages of turns.slice(2)) {
        const choices = messages.find((m) => m.type === 'choices');
        expect(choices?.type === 'choices' && choices.choices.map((c) => c.id)).toContain('fact_topic/more/another');
      }
    });
  }
});
