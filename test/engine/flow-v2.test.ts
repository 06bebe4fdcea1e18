/**
 * Flow format v2 in the engine: a call with parameters and a return (the stack in the session),
 * buttons shown only when their condition holds, and sessions pinned to the version of the flows
 * they started on across a reload until their next main menu (bounded), with a graceful restart
 * when their step is gone.
 */
import { describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/index.js';
import {
  buildEngine,
  parseSession,
  PREVIOUS_VERSIONS,
  serializeSession,
  type BuiltEngine,
  type InboundEvent,
  type Outbound,
  type Session,
} from '../../src/engine/index.js';
import { conditionHolds } from '../../src/engine/conditions.js';
import type { FlowDef, StateDef } from '../../src/flows/index.js';
import { loadEngine } from '../../src/server/index.js';
import { loadShipped } from '../helpers/content.js';

const { content } = loadShipped();
const defaults = { language: 'en' };
const base = { conversation: 'v2', channel: 'test' } as const;
const keys = (messages: Outbound[]) => messages.map((m) => ('key' in m ? m.key : m.type));
const buttonIds = (messages: Outbound[]) =>
  messages.filter((m) => m.type === 'choices').flatMap((m) => (m.type === 'choices' ? m.choices.map((c) => c.id) : []));

/** Content with some flows changed (in memory: no files, no lint, as a reload after `lantern lint` would build it). */
function withFlows(changes: Record<string, (def: FlowDef) => FlowDef>): Content {
  const flows = new Map(content.flows);
  for (const [id, change] of Object.entries(changes)) flows.set(id, change(flows.get(id)!));
  return { ...content, flows };
}

/** A flow with its states replaced or added (null removes one), under a new version. */
const edit =
  (version: string, states: Record<string, StateDef | null>) =>
  (def: FlowDef): FlowDef => {
    const next = { ...def.states };
    for (const [name, state] of Object.entries(states)) {
      if (state === null) delete next[name];
      else next[name] = state;
    }
    return { ...def, states: next, version };
  };

function play(built: BuiltEngine, events: InboundEvent[], start?: Session, now = 1_000) {
  let session = start;
  return events.map((event, i) => {
    const result = built.engine.step(session, { ...base, event }, now + i);
    session = result.session ?? undefined;
    return result;
  });
}

/** In Moldova, at the facts of a topic (inside the call of fact_topic). */
function inRights(built: BuiltEngine, now = 1_000): Session {
  const turns = play(
    built,
    [
      { type: 'start', payload: 'md_en' },
      { type: 'choice', id: 'main/menu/rights' },
      { type: 'choice', id: 'facts/pick/rights' },
    ],
    undefined,
    now,
  );
  return turns.at(-1)!.session!;
}

/** fact_topic's question renamed (`more` -> `next_fact`) and without the "other topics" button. */
const renamedMore = edit('fact-topic-v2', {
  more: null,
  show: { action: { name: 'randomFact', params: { topic: '{topic}' } }, next: 'next_fact' },
  next_fact: {
    ask: 'facts.more',
    choices: [
      { id: 'another', label: 'facts.another', next: 'show' },
      { id: 'menu', label: 'common.menu', next: 'menu' },
    ],
  },
});

describe('a call with parameters and a return', () => {
  const built = buildEngine(content, defaults);

  it('keeps the caller on a stack in the session and the parameters in the context, and pops them on return', () => {
    const session = inRights(built);
    expect(session).toMatchObject({ flow: 'fact_topic', state: 'more', stack: [{ flow: 'facts', then: 'after' }], ctx: { params: { topic: 'rights' } } });
    // The session is stored and read back with its stack.
    expect(parseSession(serializeSession(session))).toEqual(session);
    const [back] = play(built, [{ type: 'choice', id: 'fact_topic/more/topics' }], session);
    expect(keys(back!.reply.messages)).toEqual(['facts.pick']);
    expect(back!.session).toMatchObject({ flow: 'facts', state: 'pick', ctx: { returned: 'topics' } });
    expect(back!.session!.stack).toBeUndefined();
    expect(back!.session!.ctx.params).toBeUndefined();
  });

  it('a flow with params tried on its own (`lantern chat --flow`) takes the first value of each, and its return leads to the main menu', () => {
    const opened = built.engine.begin(base, 'fact_topic', 0);
    expect(opened.session).toMatchObject({ flow: 'fact_topic', state: 'more', ctx: { params: { topic: 'rights' } } });
    expect(opened.reply.messages.some((m) => m.type === 'link')).toBe(true);
    const [back] = play(built, [{ type: 'choice', id: 'fact_topic/more/topics' }], opened.session!);
    expect(back!.session).toMatchObject({ flow: 'main', state: 'menu' });
  });

  it('a command from inside a call leaves it: /menu forgets the stack and the parameters', () => {
    const [menu] = play(built, [{ type: 'command', command: 'menu' }], inRights(built));
    expect(keys(menu!.reply.messages)).toEqual(['menu.question']);
    expect(menu!.session!.stack).toBeUndefined();
    expect(menu!.session!.ctx.params).toBeUndefined();
  });

  it('a parameter fills `{topic}` in a text key', () => {
    const keyed = buildEngine(
      withFlows({
        fact_topic: edit('keyed', {
          more: {
            ask: 'facts.topic.{topic}',
            choices: [{ id: 'menu', label: 'common.menu', next: 'menu' }],
          },
        }),
      }),
      defaults,
    );
    const [, , scale] = play(keyed, [{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }, { type: 'choice', id: 'facts/pick/scale' }]);
    expect(keys(scale!.reply.messages).at(-1)).toBe('facts.topic.scale');
    expect(scale!.reply.messages.at(-1)).toMatchObject({ text: keyed.translator.t('en', 'facts.topic.scale') });
  });

  it('refuses calls nested deeper than the limit (lint refuses them first; the engine does not trust that)', () => {
    const looping = buildEngine(
      withFlows({ fact_topic: edit('loop', { show: { call: { flow: 'fact_topic', params: { topic: 'rights' }, then: 'more' } } }) }),
      defaults,
    );
    const [, menu] = play(looping, [{ type: 'start' }, { type: 'choice', id: 'main/menu/rights' }]);
    expect(() => play(looping, [{ type: 'choice', id: 'facts/pick/rights' }], menu!.session!)).toThrow(/nested more than 4 deep/);
  });

  it('rejects a stored stack that is not one (a damaged session is read as none)', () => {
    const session = inRights(built);
    expect(parseSession(JSON.stringify({ ...session, stack: [{ flow: 'facts' }] }))).toBeUndefined();
    expect(parseSession(JSON.stringify({ ...session, stack: [{ flow: 'facts', then: 'after', params: { topic: 'a message text' } }] }))).toBeUndefined();
    expect(parseSession(JSON.stringify({ ...session, ctx: { ...session.ctx, returned: 'Hello there' } }))).toBeUndefined();
  });
});

describe('conditions', () => {
  const ctx = { language: 'uk', country: 'UA', answers: { job_abroad: 'yes' }, factCursor: 0, params: { topic: 'myths' }, returned: 'menu' };

  it('hold only when every field named holds', () => {
    expect(conditionHolds({ country: 'UA' }, ctx)).toBe(true);
    expect(conditionHolds({ country: ['MD', 'RO'] }, ctx)).toBe(false);
    expect(conditionHolds({ country: 'UA', language: ['ru'] }, ctx)).toBe(false);
    expect(conditionHolds({ language: ['uk', 'ru'], answer: { job_abroad: 'yes' } }, ctx)).toBe(true);
    expect(conditionHolds({ answer: { job_abroad: ['no', 'unsure'] } }, ctx)).toBe(false);
    expect(conditionHolds({ param: { topic: 'myths' }, returned: 'menu' }, ctx)).toBe(true);
    expect(conditionHolds({ country: 'UA' }, { ...ctx, country: undefined })).toBe(false);
  });

  it('a button with `when:` is shown, pressed and typed only while its condition holds', () => {
    const withButton = buildEngine(
      withFlows({
        hotlines: edit('md-button', {
          after: {
            ask: 'hotlines.after',
            choices: [
              { id: 'check', label: 'menu.check_offer', next: { flow: 'screening' }, when: { country: 'MD' } },
              { id: 'menu', label: 'common.menu', next: { flow: 'main', state: 'menu' } },
            ],
          },
        }),
      }),
      defaults,
    );
    const reach = (payload: string) =>
      play(withButton, [
        { type: 'start', payload },
        { type: 'choice', id: 'main/menu/hotline' },
        { type: 'choice', id: 'hotlines/ask_home/skip' },
      ]).at(-1)!;
    const md = reach('md_en');
    expect(buttonIds(md.reply.messages)).toEqual(['hotlines/after/check', 'hotlines/after/menu']);
    const ua = reach('ua_en');
    expect(buttonIds(ua.reply.messages)).toEqual(['hotlines/after/menu']);
    // A forged or old press of the hidden button has expired; typing its number there means nothing.
    const [pressed] = play(withButton, [{ type: 'choice', id: 'hotlines/after/check' }], ua.session!);
    expect(keys(pressed!.reply.messages)[0]).toBe('system.expired');
    expect(pressed!.session).toMatchObject({ flow: 'hotlines', state: 'after' });
    const [typed] = play(withButton, [{ type: 'text', text: '1' }], ua.session!);
    expect(typed!.session).toMatchObject({ flow: 'main', state: 'menu' });
    const [mdTyped] = play(withButton, [{ type: 'text', text: '1' }], md.session!);
    expect(mdTyped!.session).toMatchObject({ flow: 'screening' });
  });
});

describe('a session keeps the version of the flows it started on until its next main menu', () => {
  const day = 24 * 3_600_000;

  it('a reload mid-call keeps the old version (its question and buttons) until the menu, then moves to the new one', () => {
    const before = buildEngine(content, defaults, undefined, { now: 0 });
    const session = inRights(before, 1_000);
    expect(session.version).toBe(before.engine.version);
    const after = buildEngine(withFlows({ fact_topic: renamedMore }), defaults, before, { now: 2_000 });
    expect(after.engine.version).not.toBe(before.engine.version);
    // Still the old fact_topic: its `more` question with the "other topics" button, which returns to the old facts.
    const [another, topics, menu, rights] = play(
      after,
      [
        { type: 'choice', id: 'fact_topic/more/another' },
        { type: 'choice', id: 'fact_topic/more/topics' },
        { type: 'choice', id: 'facts/pick/menu' },
        { type: 'choice', id: 'main/menu/rights' },
      ],
      session,
      3_000,
    );
    expect(buttonIds(another!.reply.messages)).toEqual(['fact_topic/more/another', 'fact_topic/more/topics', 'fact_topic/more/menu']);
    expect(another!.session).toMatchObject({ flow: 'fact_topic', state: 'more', version: before.engine.version });
    expect(topics!.session).toMatchObject({ flow: 'facts', state: 'pick', version: before.engine.version });
    // The main menu: from here on, the new flows.
    expect(menu!.session).toMatchObject({ flow: 'main', state: 'menu', version: after.engine.version });
    const [fact] = play(after, [{ type: 'choice', id: 'facts/pick/rights' }], rights!.session!, 4_000);
    expect(fact!.session).toMatchObject({ flow: 'fact_topic', state: 'next_fact', version: after.engine.version });
    expect(buttonIds(fact!.reply.messages)).toEqual(['fact_topic/next_fact/another', 'fact_topic/next_fact/menu']);
  });

  it('a reload that removed the step: after a restart (no previous version), a short word and the main menu', () => {
    const before = buildEngine(content, defaults, undefined, { now: 0 });
    const session = inRights(before, 1_000);
    const restarted = buildEngine(withFlows({ fact_topic: renamedMore }), defaults, undefined, { now: 2_000 });
    for (const event of [
      { type: 'choice', id: 'fact_topic/more/another' },
      { type: 'text', text: 'another' },
    ] as InboundEvent[]) {
      const [turn] = play(restarted, [event], session, 3_000);
      expect(keys(turn!.reply.messages)).toEqual(['system.updated', 'menu.question']);
      expect(turn!.reply.messages[0]).toMatchObject({ text: restarted.translator.t('en', 'system.updated') });
      expect(turn!.session).toMatchObject({ flow: 'main', state: 'menu', version: restarted.engine.version });
      expect(turn!.session!.stack).toBeUndefined();
      expect(turn!.session!.ctx.params).toBeUndefined();
    }
    // In every language, translated.
    for (const lng of restarted.translator.languages) {
      const [turn] = play(restarted, [{ type: 'choice', id: 'fact_topic/more/another' }], { ...session, ctx: { ...session.ctx, language: lng } }, 3_000);
      expect(turn!.reply.messages[0]).toMatchObject({ key: 'system.updated', text: restarted.translator.t(lng, 'system.updated') });
      expect(restarted.translator.has(lng, 'system.updated'), lng).toBe(true);
    }
  });

  it('a previous version nobody used for longer than it is kept is retired: the session then meets the new flows', () => {
    const before = buildEngine(content, defaults, undefined, { now: 0 });
    const session = inRights(before, 1_000);
    const after = buildEngine(withFlows({ fact_topic: renamedMore }), defaults, before, { now: 2_000 });
    expect(after.engine.versions().map((v) => v.id)).toEqual([after.engine.version, before.engine.version]);
    const [late] = play(after, [{ type: 'choice', id: 'fact_topic/more/another' }], session, 2_000 + day + 1);
    expect(keys(late!.reply.messages)).toEqual(['system.updated', 'menu.question']);
    expect(after.engine.versions().map((v) => v.id)).toEqual([after.engine.version]);
  });

  it('the server keeps a previous version as long as its sessions live in the store (SESSION_TTL), not a fixed day', () => {
    const reload = (flows: Content, ttl: number, previous?: BuiltEngine) =>
      loadEngine({ DEFAULT_LANGUAGE: 'en', SESSION_TTL: ttl }, () => ({ content: flows, sources: new Map(), problems: [] }), previous);
    for (const [ttl, idle, kept] of [
      [3 * day, 2 * day, true], // still in the store: its own flows
      [3_600_000, 2 * 3_600_000, false], // expired from the store anyway: the version is gone too
    ] as const) {
      const before = reload(content, ttl);
      const session = inRights(before, Date.now());
      const after = reload(withFlows({ fact_topic: renamedMore }), ttl, before);
      const [turn] = play(after, [{ type: 'choice', id: 'fact_topic/more/another' }], session, Date.now() + idle);
      if (kept) expect(turn!.session).toMatchObject({ flow: 'fact_topic', state: 'more', version: before.engine.version });
      else expect(keys(turn!.reply.messages)).toEqual(['system.updated', 'menu.question']);
    }
  });

  it(`keeps at most ${PREVIOUS_VERSIONS} previous versions, those used last`, () => {
    let built = buildEngine(content, defaults, undefined, { now: 0 });
    const sessions: Session[] = [];
    for (let i = 1; i <= PREVIOUS_VERSIONS + 2; i++) {
      sessions.push(inRights(built, i * 10));
      built = buildEngine(withFlows({ fact_topic: edit(`v${i}`, {}) }), defaults, built, { now: i * 10 + 5 });
      expect(built.engine.versions().length).toBeLessThanOrEqual(1 + PREVIOUS_VERSIONS);
    }
    const kept = new Set(built.engine.versions().map((v) => v.id));
    expect(kept.size).toBe(1 + PREVIOUS_VERSIONS);
    // The sessions of the oldest versions run on the current flows (same steps here: no restart needed).
    expect(kept.has(sessions[0]!.version)).toBe(false);
    expect(kept.has(sessions.at(-1)!.version)).toBe(true);
    const [oldest] = play(built, [{ type: 'choice', id: 'fact_topic/more/another' }], sessions[0]!, 100);
    expect(oldest!.session!.version).toBe(built.engine.version);
    const [newest] = play(built, [{ type: 'choice', id: 'fact_topic/more/another' }], sessions.at(-1)!, 100);
    expect(newest!.session!.version).toBe(sessions.at(-1)!.version);
  });
});
