/**
 * Every screening result explains itself, and an urgent one puts the numbers first: checked over
 * random sets of answers (a fixed seed), through the action the screening flow runs.
 */
import { describe, expect, it } from 'vitest';
import { numbersOf, type Outbound } from '../../src/engine/index.js';
import { scoreScreening } from '../../src/screening/index.js';
import { shippedEngine } from '../helpers/content.js';

const { registry, content } = shippedEngine();
const asked = content.indicators.filter((i) => i.category !== 'context' || i.answers.length);

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function result(answers: Record<string, string>, country: string | undefined): Outbound[] {
  const context = { language: 'en', ...(country ? { country } : {}), answers, factCursor: 0 };
  return registry.actions.scoreScreening!.show!({ context, params: {} } as never);
}

describe('screening results', () => {
  const next = random(11);
  const sets: Record<string, string>[] = [
    ...['yes', 'no', 'unsure'].map((a) => Object.fromEntries(asked.map((i) => [i.id, a]))),
    ...Array.from({ length: 300 }, () => Object.fromEntries(asked.map((i) => [i.id, i.answers[Math.floor(next() * i.answers.length)]!.id]))),
  ];

  it('every result explains itself: a red flag, the "not sure" explanation, or the low level that says what was not found', () => {
    for (const answers of sets) {
      const messages = result(answers, 'MD');
      const keys = messages.flatMap((m) => ('key' in m && m.key ? [m.key] : []));
      const explained = keys.some((k) => k.endsWith('explanation')) || keys.includes('screening.level.low.title');
      expect(explained, JSON.stringify(answers)).toBe(true);
    }
  });

  it('an urgent result shows the emergency number and a hotline before any explanation', () => {
    let urgent = 0;
    for (const answers of sets) {
      if (scoreScreening(content.indicators, answers).level !== 'urgent') continue;
      urgent++;
      for (const country of ['MD', undefined]) {
        const messages = result(answers, country);
        const firstContact = messages.findIndex((m) => m.type === 'numbers');
        const firstExplanation = messages.findIndex((m) => 'key' in m && m.key?.endsWith('.explanation'));
        expect(messages[0]).toMatchObject({ key: 'screening.level.urgent.title' });
        expect(firstContact).toBeGreaterThan(0);
        expect(firstContact).toBeLessThan(firstExplanation);
        // No number twice.
        const dials = numbersOf(messages).map((n) => n.dial);
        expect(new Set(dials).size).toBe(dials.length);
      }
    }
    expect(urgent).toBeGreaterThan(10);
  });
});
