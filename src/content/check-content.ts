/** Cross-file checks: `lantern validate` (references) and `lantern lint` (deeper quality checks). */
import type { z } from 'zod';
import {
  CONDITION_GUARD,
  isCondition,
  listOf,
  MAX_CALL_DEPTH,
  refParts,
  type ActionRef,
  type FlowDef,
  type GuardRef,
  type StateDef,
  type Target,
} from '../flows/index.js';
import { flattenKeys, SOURCE_LANGUAGE } from '../i18n/index.js';
import { didYouMean, type Problem } from './flow-error.js';
import type { Content, Sources } from './load-content.js';
import { checkHotlineNumbers } from './phone-check.js';

/** What code implements, as the checks need to know it. */
export interface CheckRegistry {
  actions: Record<string, { params?: z.ZodType; needsText?: boolean }>;
  guards: Record<string, { params?: z.ZodType }>;
  /** Key prefixes the code itself renders (e.g. `system.`), so they are never "unused". */
  codeKeys: readonly string[];
}

/** Telegram refuses callback data longer than this many bytes. */
export const MAX_CALLBACK_BYTES = 64;
/** Longer button labels get cut on small phones. */
export const MAX_LABEL_CHARS = 40;
/** More buttons than this are hard to read in one message. */
export const MAX_CHOICES = 8;

/** Reference checks that `lantern validate` runs: anything here would break a conversation. */
export function validateContent(content: Content, sources: Sources, registry: CheckRegistry): Problem[] {
  const problems: Problem[] = [];
  const enKeys = flattenKeys(content.locales.resources[SOURCE_LANGUAGE] ?? {});
  const returnValues = new Set(
    [...content.flows.values()].flatMap((f) => Object.values(f.states).flatMap((st) => ('return' in st && st.return !== true ? [st.return] : []))),
  );
  problems.push(...checkCalls(content, sources));
  for (const flow of content.flows.values()) {
    const at = (path: PropertyKey[], message: string, severity: Problem['severity'] = 'error') =>
      problems.push(sources.get(flow.file)!.problemAt(path, message, severity));
    for (const [name, decl] of Object.entries(flow.params ?? {})) {
      const known = decl.kind === 'choice' ? undefined : paramValues(content, decl.kind, undefined);
      (decl.values ?? []).forEach((v, i) => {
        if (known && !known.includes(v))
          at(
            ['params', name, 'values', i],
            `\`${v}\` is not a known ${decl.kind}: use ${decl.kind === 'country' ? 'a country code of flows/hotlines.yaml' : 'a folder name of locales/'}${didYouMean(v, known)}`,
          );
      });
    }
    if (!flow.states[flow.start]) at(['start'], `unknown start state \`${flow.start}\`${didYouMean(flow.start, Object.keys(flow.states))}`);
    for (const [name, state] of Object.entries(flow.states)) {
      const path = ['states', name];
      for (const { key: written, where } of keysOf(state)) {
        const expanded = expandParams(content, flow, written);
        if (typeof expanded === 'string') {
          at([...path, ...where], expanded);
          continue;
        }
        for (const key of expanded) {
          if (!hasKey(enKeys, key))
            at(
              [...path, ...where],
              `unknown text key \`${key}\`${key === written ? '' : ` (\`${written}\` for one of its values)`}: add it to locales/en/${key.split('.')[0]}.json${didYouMean(key, enKeys.keys())}`,
            );
        }
      }
      for (const { target, where } of targetsOf(state)) {
        const message = checkTarget(content.flows, flow, target);
        if (message) at([...path, ...where], message);
      }
      for (const { ref, where } of actionsOf(state)) {
        const { name: action, params } = refParts(ref);
        const def = registry.actions[action];
        if (!def) {
          at(
            [...path, ...where],
            `unknown action \`${action}\`${didYouMean(action, Object.keys(registry.actions))}. Actions are implemented in code; see flows/README.md for the list`,
          );
          continue;
        }
        // `{topic}` in a parameter: every value the flow's parameter may take must suit the action.
        const variants = paramVariants(content, flow, params);
        if (typeof variants === 'string') {
          at([...path, ...where], variants);
          continue;
        }
        if (def.params) {
          for (const variant of variants) {
            const result = def.params.safeParse(variant);
            if (!result.success) {
              at(
                [...path, ...where],
                `wrong params for \`${action}\`: ${result.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`,
              );
              break;
            }
          }
        }
        if (def.needsText && !('input' in state))
          at([...path, ...where], `action \`${action}\` reads typed text: use it on an \`ask\` state with \`input: text\``);
      }
      const whens: { when: GuardRef; where: PropertyKey[] }[] = [
        ...('branch' in state ? state.branch.flatMap((b, i) => (b.when === undefined ? [] : [{ when: b.when, where: ['branch', i, 'when'] }])) : []),
        ...('choices' in state ? state.choices.flatMap((c, i) => (c.when === undefined ? [] : [{ when: c.when, where: ['choices', i, 'when'] }])) : []),
      ];
      for (const { when, where } of whens) {
        for (const problem of checkWhen(content, flow, when, registry, returnValues)) at([...path, ...where, ...problem.where], problem.message);
      }
      if ('call' in state) for (const problem of checkCall(content, state.call)) at([...path, 'call', ...problem.where], problem.message);
      for (const { target, where } of targetsOf(state)) {
        const entered = typeof target === 'object' ? content.flows.get(target.flow) : undefined;
        if (entered?.params)
          at(
            [...path, ...where],
            `flow \`${entered.id}\` has params, so it runs only when called: write a state with \`call: { flow: ${entered.id}, params: { ... }, then: ... }\` and lead here to it`,
          );
      }
      if ('choices' in state && state.choices.every((c) => c.when !== undefined))
        at([...path, 'choices'], 'every button here has a `when:`, so some people could get a question with no button: give one button no `when:`', 'warning');
      if ('choices' in state) {
        const seen = new Set<string>();
        state.choices.forEach((c, i) => {
          if (seen.has(c.id)) at([...path, 'choices', i, 'id'], `choice id \`${c.id}\` is used twice in this question: give each choice its own id`);
          seen.add(c.id);
        });
      }
    }
  }
  const factsFile = [...sources.keys()].find((f) => f.endsWith('facts.yaml'));
  content.facts.facts.forEach((fact, i) => {
    for (const field of ['text', 'myth'] as const) {
      const key = fact[field];
      if (key && !hasKey(enKeys, key) && factsFile)
        problems.push(sources.get(factsFile)!.problemAt(['facts', i, field], `unknown text key \`${key}\`: add it to locales/en/facts.json`));
    }
  });
  return problems;
}

/** Deeper checks for `lantern lint`: reachability, loops, translations, channel limits, phone numbers. */
export function lintContent(content: Content, sources: Sources, registry: CheckRegistry, today: string = new Date().toISOString().slice(0, 10)): Problem[] {
  const problems = validateContent(content, sources, registry);
  if (problems.some((p) => p.severity === 'error')) return problems;
  const used = new Set<string>();
  const entered = new Map<string, Set<string>>();
  for (const flow of content.flows.values()) {
    for (const state of Object.values(flow.states)) {
      for (const { key } of keysOf(state)) {
        const expanded = expandParams(content, flow, key);
        for (const k of typeof expanded === 'string' ? [key] : expanded) used.add(k);
      }
      if ('call' in state) {
        const set = entered.get(state.call.flow) ?? new Set();
        set.add(content.flows.get(state.call.flow)!.start);
        entered.set(state.call.flow, set);
      }
      for (const { target } of targetsOf(state)) {
        if (typeof target === 'object') {
          const set = entered.get(target.flow) ?? new Set();
          set.add(target.state ?? content.flows.get(target.flow)!.start);
          entered.set(target.flow, set);
        }
      }
    }
  }
  for (const fact of content.facts.facts) for (const key of [fact.text, fact.myth]) if (key) used.add(key);

  for (const flow of content.flows.values()) {
    const at = (path: PropertyKey[], message: string, severity: Problem['severity']) =>
      problems.push(sources.get(flow.file)!.problemAt(path, message, severity));
    const roots = new Set([flow.start, ...(entered.get(flow.id) ?? [])]);
    const reachable = walk(flow, [...roots]);
    for (const name of Object.keys(flow.states)) {
      if (!reachable.has(name)) at(['states', name], `unreachable state \`${name}\`: nothing leads here; remove it or add a \`next\` to it`, 'warning');
    }
    for (const name of Object.keys(flow.states)) {
      const leaves = walk(flow, [name]);
      const exits = [...leaves].some((s) => {
        const st = flow.states[s]!;
        return 'end' in st || 'return' in st || targetsOf(st).some((t) => typeof t.target === 'object');
      });
      if (!exits)
        at(['states', name], `dead end at \`${name}\`: from here the user can never reach an end or another flow (only /menu gets them out)`, 'warning');
    }
    const loop = silentLoop(flow);
    if (loop) at(['states', loop[0]!], `these states loop without asking anything: ${loop.join(' -> ')}. Add a question to the loop`, 'error');
    for (const [name, state] of Object.entries(flow.states)) {
      if (!('ask' in state)) continue;
      const ids =
        'choices' in state
          ? state.choices.map((c) => c.id)
          : 'options' in state
            ? state.options === 'languages'
              ? content.locales.languages.map((l) => `=${l}`)
              : ['=XX']
            : [];
      for (const id of ids) {
        const data = `${flow.id}/${name}/${id}`;
        if (Buffer.byteLength(data) > MAX_CALLBACK_BYTES)
          at(
            ['states', name],
            `button id \`${data}\` is ${Buffer.byteLength(data)} bytes; Telegram allows ${MAX_CALLBACK_BYTES}: shorten the flow, state or choice id`,
            'error',
          );
      }
      if ('choices' in state && state.choices.length > MAX_CHOICES)
        at(
          ['states', name, 'choices'],
          `${state.choices.length} choices are too many for one message on a small phone (at most ${MAX_CHOICES}): split the question`,
          'warning',
        );
    }
  }

  // Translations: every key of English in every locale, nothing empty, no leftovers.
  const en = flattenKeys(content.locales.resources[SOURCE_LANGUAGE] ?? {});
  const helplineIds = new Set(Object.values(content.hotlines.countries).flatMap((c) => c.helplines.map((h) => h.id)));
  for (const lng of content.locales.languages) {
    const keys = flattenKeys(content.locales.resources[lng] ?? {});
    const fileOf = (key: string) => content.locales.files[`${lng}/${key.split('.')[0]}`];
    const at = (key: string, message: string, severity: Problem['severity']) => {
      const file = fileOf(key);
      const source = file ? sources.get(file) : undefined;
      problems.push(
        source
          ? source.problemAt(key.split('.').slice(1), message, severity)
          : { file: `locales/${lng}/${key.split('.')[0]}.json`, line: 1, column: 1, path: key, message, severity },
      );
    };
    const same = new Set(content.locales.meta[lng]?.sameAsEnglish ?? []);
    for (const [key, value] of en) {
      const mine = keys.get(key) ?? pluralOf(keys, key);
      if (mine === undefined) {
        at(key, `missing text \`${key}\` in ${lng}: translate it from locales/en`, 'error');
        continue;
      }
      if (isEmpty(mine)) at(key, `empty text \`${key}\` in ${lng}`, 'error');
      if (lng !== SOURCE_LANGUAGE && !Array.isArray(value) && mine === value && !same.has(key) && /\p{L}{3}/u.test(value)) {
        at(key, `\`${key}\` in ${lng} is the same as the English text: translate it, or list the key in _meta.json sameAsEnglish`, 'warning');
      }
    }
    for (const key of keys.keys()) {
      const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
      const line = HELPLINE_TEXT.exec(key);
      // A helpline's own name and purpose: English is in flows/hotlines.yaml, so only the id must exist.
      if (line) {
        if (!helplineIds.has(line[1]!))
          at(key, `\`${key}\` names no helpline: \`${line[1]}\` is not an id in flows/hotlines.yaml${didYouMean(line[1]!, helplineIds)}`, 'warning');
        continue;
      }
      if (!en.has(key) && !en.has(base)) at(key, `text \`${key}\` is not in English (locales/en): remove it or add it there`, 'warning');
    }
    // A placeholder English does not fill reaches users empty ("Ajutor în :"); one English has and the translation lost drops a fact.
    if (lng !== SOURCE_LANGUAGE) {
      for (const [key, value] of keys) {
        const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
        const english = placeholdersOf(en, base);
        if (english === undefined) continue;
        const mine = new Set(placeholderNames(value));
        for (const name of mine) {
          if (!english.has(name))
            at(
              key,
              `placeholder \`{{${name}}}\` in ${lng} \`${key}\` is not in the English text (${english.size ? [...english].map((n) => `{{${n}}}`).join(', ') : 'none'}), so users would see it empty: use the English name${didYouMean(name, english)}`,
              'error',
            );
        }
        for (const name of english) {
          if (!mine.has(name) && name !== 'count') at(key, `\`${key}\` in ${lng} leaves out \`{{${name}}}\`, which the English text shows`, 'warning');
        }
      }
    }
    if (lng === SOURCE_LANGUAGE) {
      for (const key of keys.keys()) {
        const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
        if (!used.has(base) && !registry.codeKeys.some((prefix) => base.startsWith(prefix)))
          at(key, `unused text \`${key}\`: no flow uses it; remove it or use it`, 'warning');
      }
      for (const flow of content.flows.values()) {
        for (const [name, state] of Object.entries(flow.states)) {
          if ('choices' in state) {
            state.choices.forEach((c, i) => {
              for (const l of content.locales.languages) {
                const label = flattenKeys(content.locales.resources[l] ?? {}).get(c.label);
                if (typeof label === 'string' && [...label].length > MAX_LABEL_CHARS) {
                  problems.push(
                    sources
                      .get(flow.file)!
                      .problemAt(
                        ['states', name, 'choices', i, 'label'],
                        `button label \`${c.label}\` is ${[...label].length} characters in ${l}; keep it under ${MAX_LABEL_CHARS}`,
                        'warning',
                      ),
                  );
                }
              }
            });
          }
        }
      }
    }
  }

  // Never "safe": what a result says about an offer, in every language (the locale's own word list).
  for (const lng of content.locales.languages) {
    const neverSafe = content.locales.meta[lng]?.neverSafe;
    if (!neverSafe) continue;
    const file = content.locales.files[`${lng}/_meta.json`] ?? `locales/${lng}/_meta.json`;
    for (const [key, value] of flattenKeys(content.locales.resources[lng] ?? {})) {
      if (!isVerdictKey(key)) continue;
      for (const word of safeClaims(Array.isArray(value) ? value.join('\n') : value, neverSafe)) {
        const source = sources.get(content.locales.files[`${lng}/${key.split('.')[0]}`] ?? '');
        const message = `\`${key}\` in ${lng} calls the offer safe ("${word}"): say what was or was not found instead, or list the phrase under neverSafe.allowed in ${file} if it does not mean the offer is safe`;
        problems.push(
          source
            ? source.problemAt(key.split('.').slice(1), message, 'error')
            : { file: `locales/${lng}/${key.split('.')[0]}.json`, line: 1, column: 1, path: key, message, severity: 'error' },
        );
      }
    }
  }

  // A fact people may repeat to an employer or an official should rest on the body that measured or wrote it.
  const factsFile = [...sources.keys()].find((f) => f.endsWith('facts.yaml'));
  if (factsFile) {
    content.facts.facts.forEach((fact, i) => {
      if (!isPrimarySource(fact.source.url, content.facts.primarySources))
        problems.push(
          sources
            .get(factsFile)!
            .problemAt(
              ['facts', i, 'source', 'url'],
              `\`${fact.id}\` cites ${new URL(fact.source.url).hostname}, which is not a primary source: cite the ILO, UNODC, IOM, OHCHR, a government or the law itself, or add the host to \`primarySources\` if it is one`,
              'warning',
            ),
        );
    });
  }

  const hotlineFile = [...sources.keys()].find((f) => f.endsWith('hotlines.yaml'));
  if (hotlineFile) {
    const source = sources.get(hotlineFile)!;
    for (const p of checkHotlineNumbers(content.hotlines)) {
      problems.push(source.problemAt(parsePath(p.path), `phone number ${p.number ? `"${p.number}" ` : ''}: ${p.fix}`, 'error'));
    }
    // A number nobody has checked for a year may have moved: staff should call it or read its source again.
    const stale = yearBefore(today);
    for (const [cc, entry] of Object.entries(content.hotlines.countries)) {
      entry.helplines.forEach((h, i) => {
        if (h.checked < stale)
          problems.push(
            source.problemAt(
              ['countries', cc, 'helplines', i, 'checked'],
              `\`${h.id}\` was last checked on ${h.checked}, more than 12 months ago: check the number against its source again and update \`checked\``,
              'warning',
            ),
          );
      });
    }
  }
  return problems;
}

/** Government hosts count as primary wherever they are: state.gov, vss.gov.vn, gov.uk, gob.mx, gouv.fr, go.th, govt.nz. */
const GOVERNMENT_HOST = /(^|\.)(gov|gob|gouv|go|govt)(\.[a-z]{2})?$/;

/** True when the address is on a listed primary host (or a subdomain of one) or a government host. */
function isPrimarySource(url: string, primary: readonly string[]): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return GOVERNMENT_HOST.test(host) || primary.some((p) => host === p || host.endsWith(`.${p}`));
}

/** `hotlines.lines.<helpline id>.name|purpose`: a helpline's own texts, translated per locale. */
const HELPLINE_TEXT = /^hotlines\.lines\.([^.]+)\.(?:name|purpose)$/;

/** The same day a year earlier, as YYYY-MM-DD (29 February becomes 28 February... or 1 March: either is fine for a warning). */
function yearBefore(day: string): string {
  return `${String(Number(day.slice(0, 4)) - 1).padStart(4, '0')}${day.slice(4)}`;
}

/** Texts that judge an offer: result titles, level lines, explanations (advice and hotline facts are not verdicts). */
export function isVerdictKey(key: string): boolean {
  return /^screening\.level\.|^screening\.[a-z_]+\.explanation$|^screening\.unsure_explanation$|^check\.ad_(level\.|none|found)/.test(key);
}

/** The words of `neverSafe.words` that `text` uses outside the allowed phrases (case-insensitive; `*` is any letters). */
export function safeClaims(text: string, neverSafe: { words: readonly string[]; allowed: readonly string[] }): string[] {
  let rest = text.normalize('NFC').toLocaleLowerCase();
  for (const phrase of neverSafe.allowed) rest = rest.split(phrase.normalize('NFC').toLocaleLowerCase()).join(' … ');
  return neverSafe.words.filter((word) => {
    const w = word.normalize('NFC').toLocaleLowerCase();
    const body = w
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\p{L}\\p{M}]*');
    return new RegExp(`(?<![\\p{L}\\p{M}])${body}(?![\\p{L}\\p{M}])`, 'u').test(rest);
  });
}

function hasKey(keys: Map<string, unknown>, key: string): boolean {
  return keys.has(key) || keys.has(`${key}_other`);
}

function pluralOf(keys: Map<string, string | string[]>, key: string): string | string[] | undefined {
  return keys.get(`${key}_other`);
}

/** The `{{name}}` placeholders of a text (i18next interpolation; `{{- name}}` and `{{name, format}}` too). */
function placeholderNames(value: string | string[]): string[] {
  const texts = Array.isArray(value) ? value : [value];
  return texts.flatMap((t) => [...t.matchAll(/\{\{-?\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1]!));
}

/** The placeholders English uses for `base` across its plural forms, or undefined when English lacks the key. */
function placeholdersOf(en: Map<string, string | string[]>, base: string): Set<string> | undefined {
  const forms = [base, ...['zero', 'one', 'two', 'few', 'many', 'other'].map((f) => `${base}_${f}`)].filter((k) => en.has(k));
  return forms.length ? new Set(forms.flatMap((k) => placeholderNames(en.get(k)!))) : undefined;
}

function isEmpty(value: string | string[]): boolean {
  return Array.isArray(value) ? value.length === 0 || value.some((v) => !v.trim()) : !value.trim();
}

function parsePath(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The i18n keys a state shows, with where each is written. */
export function keysOf(state: StateDef): { key: string; where: PropertyKey[] }[] {
  const out: { key: string; where: PropertyKey[] }[] = [];
  if (state.say !== undefined) {
    if (Array.isArray(state.say)) state.say.forEach((key, i) => out.push({ key, where: ['say', i] }));
    else out.push({ key: state.say, where: ['say'] });
  }
  if ('ask' in state) out.push({ key: state.ask, where: ['ask'] });
  if ('choices' in state) state.choices.forEach((c, i) => out.push({ key: c.label, where: ['choices', i, 'label'] }));
  if ('options' in state && state.skip) out.push({ key: state.skip.label, where: ['skip', 'label'] });
  return out;
}

/** Where a state can lead, with where each target is written. */
export function targetsOf(state: StateDef): { target: Target; where: PropertyKey[] }[] {
  if ('choices' in state) return state.choices.map((c, i) => ({ target: c.next, where: ['choices', i, 'next'] }));
  if ('branch' in state) return state.branch.map((b, i) => ({ target: b.next, where: ['branch', i, 'next'] }));
  if ('goto' in state) return [{ target: state.goto, where: ['goto'] }];
  if ('call' in state) return [{ target: state.call.then, where: ['call', 'then'] }];
  if ('options' in state && state.skip)
    return [
      { target: state.next, where: ['next'] },
      { target: state.skip.next, where: ['skip', 'next'] },
    ];
  if ('next' in state) return [{ target: state.next, where: ['next'] }];
  return [];
}

function actionsOf(state: StateDef): { ref: ActionRef; where: PropertyKey[] }[] {
  const out: { ref: ActionRef; where: PropertyKey[] }[] = [];
  if ('action' in state && state.action !== undefined) {
    if (Array.isArray(state.action)) state.action.forEach((ref, i) => out.push({ ref, where: ['action', i] }));
    else out.push({ ref: state.action, where: ['action'] });
  }
  if ('choices' in state) state.choices.forEach((c, i) => c.action && out.push({ ref: c.action, where: ['choices', i, 'action'] }));
  return out;
}

function checkTarget(flows: Map<string, FlowDef>, flow: FlowDef, target: Target): string | undefined {
  if (typeof target === 'string') {
    return flow.states[target] ? undefined : `unknown state \`${target}\`${didYouMean(target, Object.keys(flow.states))}`;
  }
  const other = flows.get(target.flow);
  if (!other) return `unknown flow \`${target.flow}\`${didYouMean(target.flow, flows.keys())}: flows are the *.flow.yaml files in flows/`;
  if (target.state && !other.states[target.state])
    return `flow \`${target.flow}\` has no state \`${target.state}\`${didYouMean(target.state, Object.keys(other.states))}`;
  return undefined;
}

/** The values a parameter of a flow may take (its `values`, or every country or language). */
function paramValues(content: Content, kind: 'choice' | 'country' | 'language', values: readonly string[] | undefined): string[] {
  if (values) return [...values];
  if (kind === 'country') return Object.keys(content.hotlines.countries);
  if (kind === 'language') return [...content.locales.languages];
  return [];
}

/** Every key `{name}` in a text can become, or a message when it names a parameter the flow does not declare. */
function expandParams(content: Content, flow: FlowDef, key: string): string[] | string {
  let keys = [key];
  for (const name of new Set([...key.matchAll(/\{([a-z][a-z0-9_]*)\}/g)].map((m) => m[1]!))) {
    const decl = flow.params?.[name];
    if (!decl)
      return `\`{${name}}\` in \`${key}\`: flow \`${flow.id}\` has no parameter \`${name}\`${didYouMean(name, Object.keys(flow.params ?? {}))}; declare it under \`params:\` (see flows/README.md)`;
    const values = paramValues(content, decl.kind, decl.values);
    keys = keys.flatMap((k) => values.map((v) => k.split(`{${name}}`).join(v)));
  }
  return keys;
}

/** An action's params for each value of the flow parameters they name (`topic: '{topic}'`), or a message. */
function paramVariants(content: Content, flow: FlowDef, params: Record<string, unknown>): Record<string, unknown>[] | string {
  let variants = [params];
  for (const [field, value] of Object.entries(params)) {
    if (typeof value !== 'string' || !value.includes('{')) continue;
    const expanded = expandParams(content, flow, value);
    if (typeof expanded === 'string') return expanded;
    variants = variants.flatMap((v) => expanded.map((x) => ({ ...v, [field]: x })));
  }
  return variants;
}

/** Problems of one `when:`: an unknown code condition, or a country, language, answer, parameter or return value nobody knows. */
function checkWhen(
  content: Content,
  flow: FlowDef,
  when: GuardRef,
  registry: CheckRegistry,
  returnValues: ReadonlySet<string>,
): { where: PropertyKey[]; message: string }[] {
  if (!isCondition(when)) {
    const { name: guard, params } = refParts(when);
    const def = registry.guards[guard];
    if (guard === CONDITION_GUARD || !def) return [{ where: [], message: `unknown condition \`${guard}\`${didYouMean(guard, Object.keys(registry.guards))}` }];
    if (def.params && !def.params.safeParse(params).success) return [{ where: [], message: `wrong params for condition \`${guard}\`` }];
    return [];
  }
  const out: { where: PropertyKey[]; message: string }[] = [];
  const countries = Object.keys(content.hotlines.countries);
  const each = (value: string | string[], where: PropertyKey[], check: (v: string) => string | undefined) =>
    listOf(value).forEach((v, i) => {
      const message = check(v);
      if (message) out.push({ where: Array.isArray(value) ? [...where, i] : where, message });
    });
  if (when.country !== undefined)
    each(when.country, ['country'], (c) =>
      countries.includes(c) ? undefined : `unknown country \`${c}\` in a condition: use a country code of flows/hotlines.yaml${didYouMean(c, countries)}`,
    );
  if (when.language !== undefined)
    each(when.language, ['language'], (l) =>
      content.locales.languages.includes(l)
        ? undefined
        : `unknown language \`${l}\` in a condition: use a folder name of locales/ (${content.locales.languages.join(', ')})${didYouMean(l, content.locales.languages)}`,
    );
  for (const [question, answers] of Object.entries(when.answer ?? {})) {
    const indicator = content.indicators.find((i) => i.id === question);
    if (!indicator) {
      out.push({
        where: ['answer', question],
        message: `unknown screening question \`${question}\`${didYouMean(
          question,
          content.indicators.map((i) => i.id),
        )}: use an id of flows/indicators.yaml`,
      });
      continue;
    }
    const ids = indicator.answers.map((a) => a.id as string);
    each(answers, ['answer', question], (a) => (ids.includes(a) ? undefined : `\`${question}\` has no answer \`${a}\`: its answers are ${ids.join(', ')}`));
  }
  for (const [name, values] of Object.entries(when.param ?? {})) {
    const decl = flow.params?.[name];
    if (!decl) {
      out.push({
        where: ['param', name],
        message: `flow \`${flow.id}\` has no parameter \`${name}\`${didYouMean(name, Object.keys(flow.params ?? {}))}: declare it under \`params:\``,
      });
      continue;
    }
    const allowed = paramValues(content, decl.kind, decl.values);
    each(values, ['param', name], (v) => (allowed.includes(v) ? undefined : `\`${v}\` is not a value of the parameter \`${name}\` (${allowed.join(', ')})`));
  }
  if (when.returned !== undefined)
    each(when.returned, ['returned'], (v) =>
      returnValues.has(v) ? undefined : `no flow returns \`${v}\`${didYouMean(v, returnValues)}: a called flow ends with \`return: ${v}\``,
    );
  return out;
}

/** Problems of one `call:`: an unknown flow, one that never returns, a parameter not declared, missing or with a value not allowed. */
function checkCall(content: Content, call: { flow: string; params?: Record<string, string> }): { where: PropertyKey[]; message: string }[] {
  const callee = content.flows.get(call.flow);
  if (!callee)
    return [
      { where: ['flow'], message: `unknown flow \`${call.flow}\`${didYouMean(call.flow, content.flows.keys())}: flows are the *.flow.yaml files in flows/` },
    ];
  const out: { where: PropertyKey[]; message: string }[] = [];
  if (!Object.values(callee.states).some((st) => 'return' in st))
    out.push({ where: ['flow'], message: `flow \`${callee.id}\` has no \`return\` step, so a call would never come back: end it with \`return: true\`` });
  const declared = callee.params ?? {};
  for (const [name, value] of Object.entries(call.params ?? {})) {
    const decl = declared[name];
    if (!decl) {
      out.push({
        where: ['params', name],
        message: `flow \`${callee.id}\` declares no parameter \`${name}\`${didYouMean(name, Object.keys(declared))}${Object.keys(declared).length ? ` (its params: ${Object.keys(declared).join(', ')})` : ''}`,
      });
      continue;
    }
    const allowed = paramValues(content, decl.kind, decl.values);
    if (!allowed.includes(value))
      out.push({ where: ['params', name], message: `\`${value}\` is not a value of \`${name}\` in flow \`${callee.id}\`: use one of ${allowed.join(', ')}` });
  }
  for (const name of Object.keys(declared)) {
    if (call.params?.[name] === undefined)
      out.push({ where: ['params'], message: `missing parameter \`${name}\` for flow \`${callee.id}\`: add \`${name}: ...\` under \`params:\`` });
  }
  return out;
}

/** Call cycles (a flow that calls itself, directly or through others) and call chains deeper than MAX_CALL_DEPTH, at the call that closes them. */
function checkCalls(content: Content, sources: Sources): Problem[] {
  const calls = (flow: FlowDef) =>
    Object.entries(flow.states).flatMap(([name, st]) => ('call' in st && content.flows.has(st.call.flow) ? [{ state: name, callee: st.call.flow }] : []));
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const visit = (flowId: string, chain: { flow: string; state: string }[]): void => {
    const flow = content.flows.get(flowId)!;
    for (const { state, callee } of calls(flow)) {
      const here = [...chain, { flow: flowId, state }];
      const at = `${flowId}/${state}`;
      const cycle = chain.findIndex((c) => c.flow === callee);
      if (cycle >= 0 || callee === flowId) {
        if (!reported.has(at)) {
          reported.add(at);
          // Told from the flow whose call closes the loop: `b -> a -> b` in b's file.
          const around = here.slice(Math.max(cycle, 0)).map((c) => c.flow);
          const loop = [flowId, ...around.slice(0, -1), flowId].join(' -> ');
          problems.push(
            sources
              .get(flow.file)!
              .problemAt(['states', state, 'call', 'flow'], `call cycle: ${loop}. A called flow must not call back into its callers; use \`return\` instead`),
          );
        }
        continue;
      }
      if (here.length > MAX_CALL_DEPTH) {
        if (!reported.has(at)) {
          reported.add(at);
          problems.push(
            sources
              .get(flow.file)!
              .problemAt(
                ['states', state, 'call'],
                `calls nested ${here.length} deep (${[...here.map((c) => c.flow), callee].join(' -> ')}); at most ${MAX_CALL_DEPTH}: call fewer flows inside each other`,
              ),
          );
        }
        continue;
      }
      visit(callee, here);
    }
  };
  for (const flow of content.flows.values()) visit(flow.id, []);
  return problems;
}

function walk(flow: FlowDef, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !flow.states[name]) continue;
    seen.add(name);
    for (const { target } of targetsOf(flow.states[name]!)) if (typeof target === 'string') stack.push(target);
  }
  return seen;
}

/** A cycle through states that never wait for the user (it would spin forever), or undefined. */
function silentLoop(flow: FlowDef): string[] | undefined {
  const silent = (name: string) => {
    const s = flow.states[name];
    // A call waits in the called flow (which lint checks on its own), so it breaks a loop.
    return s !== undefined && !('ask' in s) && !('end' in s) && !('call' in s) && !('return' in s);
  };
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !silent(name)) return undefined;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const { target } of targetsOf(flow.states[name]!)) {
      if (typeof target === 'string') {
        const found = visit(target);
        if (found) return found;
      }
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(flow.states)) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}
