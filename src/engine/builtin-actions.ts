/** The actions and guards shipped flows can name. New ones are registered here, once. */
import { z } from 'zod';
import type { FactFile } from '../content/fact-schema.js';
import type { Translator } from '../i18n/index.js';
import type { ActionArgs, ActionDef, GuardDef, Registry } from './action-registry.js';
import type { HotlineReplies } from './hotline-replies.js';
import type { Outbound } from './types.js';
import { analyseAd, scoreScreening, type AdAnalysis, type CompiledAdConcepts, type Indicator, type RiskLevel } from '../screening/index.js';

/** Where the person is now, and where the job is and their home country if they gave them: the numbers an answer shows. */
type Where = { country?: string; jobCountry?: string; home?: string };

/** Builds the registry over loaded content. */
export function createBuiltinRegistry(deps: {
  translator: Translator;
  hotlines: HotlineReplies;
  facts: FactFile;
  countries: readonly string[];
  indicators: readonly Indicator[];
  adConcepts: CompiledAdConcepts;
}): Registry {
  const { translator: tr, hotlines, facts, indicators, adConcepts } = deps;
  const indicatorById = new Map(indicators.map((i) => [i.id, i]));
  // `update`, `show` and `note` of one turn see the same text event: the analysis is kept on that
  // object only, so the ad is read once and the result goes with the turn. Never a cache shared
  // between turns: one person's ad must not make another's answer faster (a timing oracle), nor
  // stay in memory after quick exit.
  const analyses = new WeakMap<object, AdAnalysis>();
  const analyse = (args: ActionArgs) => {
    const key = args.textEvent ?? args;
    let result = analyses.get(key);
    if (!result) analyses.set(key, (result = analyseAd(args.text ?? '', adConcepts, indicators, {})));
    return result;
  };

  /** The level's title and meaning, then what to do, then the hotline: shared by screening and the ad check. */
  const verdict = (l: string, level: RiskLevel, where: Where, nextSteps: string[]): Outbound[] => [
    { type: 'text', key: `screening.level.${level}.title`, text: `${tr.t(l, `screening.level.${level}.title`)}\n${tr.t(l, `screening.level.${level}.text`)}` },
    ...(nextSteps.length
      ? [
          {
            type: 'text' as const,
            key: 'screening.next_steps_title',
            text: `${tr.t(l, 'screening.next_steps_title')}\n${nextSteps.map((k) => `• ${tr.t(l, k)}`).join('\n')}`,
          },
        ]
      : []),
    ...(where.country ? hotlines.forCountry(l, where.country, where) : hotlines.emergency(l, undefined, where)),
  ];
  /**
   * Puts a result together: the level first, then the explanations, then what to do and the hotline.
   * Urgent puts the emergency number and hotline right under the level, before any explanation:
   * someone in danger must not scroll past a dozen messages to find a number.
   */
  const urgentFirst = (l: string, level: RiskLevel, where: Where, explanations: Outbound[], verdictMessages: Outbound[]): Outbound[] => {
    const [title, ...rest] = verdictMessages;
    if (level !== 'urgent') return [title!, ...explanations, ...rest];
    // The emergency answer (never an enforcement line) takes the place of the helplines answer: one message, no number twice.
    const later = rest.filter((m) => m.type !== 'numbers');
    return [title!, ...hotlines.emergency(l, where.country, where), ...explanations, ...later];
  };
  /**
   * The level an ad's result speaks of: one weak sign scores low, but "no warning phrases found"
   * under a listed sign would contradict it, so the words of "caution" are used (as the screening does).
   */
  const shownAdLevel = (result: AdAnalysis): RiskLevel =>
    result.level === 'low' && result.flags.some((f) => indicatorById.get(f.indicator)?.category !== 'context') ? 'caution' : result.level;
  const byTopic = new Map<string | undefined, FactFile['facts']>();
  const factsFor = (topic: string | undefined) => {
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = facts.facts.filter((f) => !topic || f.topic === topic)));
    return list;
  };

  const actions: Record<string, ActionDef<any>> = {
    showHotlines: {
      description: "Shows the helplines and emergency number for the user's country (asks nothing; branch on hasCountry first).",
      show: ({ context }) =>
        context.country ? hotlines.forCountry(context.language, context.country, context) : hotlines.emergency(context.language, undefined, context),
    },
    showEmergency: {
      description: 'Shows the emergency answer: the emergency number and hotline first.',
      show: ({ context }) => hotlines.emergency(context.language, context.country, context),
    },
    showHomeHotlines: {
      description: "Shows the home country's lines for its citizens abroad (after a `countries` question with `sets: home`).",
      show: ({ context }) => (context.home ? hotlines.forHome(context.language, context.country, context.home) : []),
    },
    forgetJobCountry: {
      description: 'Forgets where the job is, so that the next offer checked is asked about again (run it before checking another offer).',
      update: () => ({ jobCountry: undefined }),
    },
    randomFact: {
      description: 'Shows the next awareness fact (optionally of one topic) with its source and year.',
      params: z
        .object({
          topic: z
            .string()
            .refine((t) => facts.topics.includes(t), `a topic listed in flows/facts.yaml: ${facts.topics.join(', ')}`)
            .optional(),
        })
        .strict(),
      update: ({ context }) => ({ factCursor: context.factCursor + 1 }),
      show: ({ context, params }): Outbound[] => {
        const list = factsFor(params.topic);
        // The cursor was already advanced by `update`, so step back one to show the current fact.
        const fact = list[(context.factCursor - 1 + list.length) % list.length];
        if (!fact) return [];
        const l = context.language;
        const out: Outbound[] = [];
        if (fact.myth) out.push({ type: 'text', key: fact.myth, text: tr.t(l, 'facts.myth_label', { myth: tr.t(l, fact.myth) }) });
        out.push({ type: 'text', key: fact.text, text: tr.t(l, fact.text) });
        out.push({ type: 'link', label: tr.t(l, 'facts.source', { title: fact.source.title, year: fact.source.year }), url: fact.source.url });
        return out;
      },
    },
    scoreScreening: {
      description: 'Shows the screening result: the level, each red flag with why it matters and what to do, next steps, and the hotline.',
      show: ({ context }) => {
        const l = context.language;
        const result = scoreScreening(indicators, context.answers);
        const flags: Outbound[] = result.flags.map((f) => ({ type: 'text', key: f.explanation, text: `⚠ ${tr.t(l, f.explanation)}\n→ ${tr.t(l, f.advice)}` }));
        // One weak sign scores low, but "no red flags in your answers" above a listed sign would
        // contradict it: the words of "caution" fit what the person then reads.
        const shown = result.level === 'low' && flags.length ? 'caution' : result.level;
        // A result with no red flag still says why: "not sure" answers are a reason to check too.
        if (!flags.length && Object.values(context.answers).includes('unsure'))
          flags.push({ type: 'text', key: 'screening.unsure_explanation', text: tr.t(l, 'screening.unsure_explanation') });
        return urgentFirst(l, shown, context, flags, verdict(l, shown, context, result.nextSteps));
      },
      note: ({ context }) => scoreScreening(indicators, context.answers).level,
    },
    forgetAnswers: {
      description: 'Deletes the screening answers (run it right after scoreScreening: answers are kept only for the result).',
      update: () => ({ answers: {} }),
    },
    analyseJobAd: {
      description:
        'Checks pasted job-ad text for red-flag phrases and shows them (the text is read once and never stored); keeps the level for showAdResult, and takes the job country from the ad when it names exactly one and none is known.',
      needsText: true,
      // The ad's level waits for its result (asked where the job is in between): a level, never text.
      update: (args) => ({
        adLevel: shownAdLevel(analyse(args)),
        ...(args.context.jobCountry === undefined && args.places?.length === 1 ? { jobCountry: args.places[0] } : {}),
      }),
      show: (args) => {
        const { context, places = [] } = args;
        const l = context.language;
        const result = analyse(args);
        const seen = new Set<string>();
        // One quoted phrase, one explanation: two signs read in the same words ("WhatsApp" is a
        // messenger-only contact and a recruiter nobody can check) are shown and counted once, by
        // the first; the other sign is still shown where other words show it. The level weighs both.
        const quoted = new Set<string>();
        const flags: Outbound[] = [];
        for (const flag of result.flags) {
          if (seen.has(flag.indicator) || quoted.has(flag.text)) continue;
          const indicator = indicatorById.get(flag.indicator);
          if (!indicator || indicator.category === 'context') continue;
          seen.add(flag.indicator);
          quoted.add(flag.text);
          flags.push({
            type: 'text',
            key: indicator.explanation,
            text: `⚠ «${flag.text.slice(0, 120)}»\n${tr.t(l, indicator.explanation)}\n→ ${tr.t(l, indicator.advice)}`,
          });
        }
        const intro: Outbound = {
          type: 'text',
          key: flags.length ? 'check.ad_found' : 'check.ad_none',
          text: tr.t(l, flags.length ? 'check.ad_found' : 'check.ad_none', { count: flags.length }),
        };
        // Said when the job country came from the ad (or the ad agrees with it): the numbers then include it.
        const named: Outbound[] =
          places.length === 1 && places[0] === context.jobCountry
            ? [{ type: 'text', key: 'check.ad_country_from_ad', text: tr.t(l, 'check.ad_country_from_ad', { country: hotlines.countryName(l, places[0]!) }) }]
            : [];
        // Urgent: the emergency number of where the person is comes before any explanation, even
        // before the job-country question; the full result follows.
        if (result.level === 'urgent') return [intro, ...hotlines.emergency(l, context.country, context), ...flags, ...named];
        return [intro, ...flags, ...named];
      },
      note: (args) => analyse(args).level,
    },
    showAdResult: {
      description:
        "Shows the pasted ad's level, what to do and the numbers, with the job country's when known (after analyseJobAd; run forgetAdResult right after).",
      show: ({ context }) => {
        const l = context.language;
        const level = context.adLevel ?? 'low';
        const steps = ['screening.next_steps.verify_licence', 'screening.next_steps.keep_passport', 'screening.next_steps.call_hotline'];
        // Where the person is now is unknown but the job country is: the job country's numbers.
        const where: Where = context.country || !context.jobCountry ? context : { ...context, country: context.jobCountry };
        const [, ...rest] = verdict(l, level, where, steps);
        return [{ type: 'text', key: `check.ad_level.${level}`, text: tr.t(l, `check.ad_level.${level}`) }, ...rest];
      },
    },
    forgetAdResult: {
      description: "Deletes the pasted ad's level (run it right after showAdResult: it is kept only for the result).",
      update: () => ({ adLevel: undefined }),
    },
    setCountry: {
      description: "Sets the user's country, e.g. `{ name: setCountry, params: { country: MD } }`.",
      params: z
        .object({
          country: z
            .string()
            .regex(/^[A-Z]{2}$/)
            .refine((c) => deps.countries.includes(c), 'a country listed in flows/hotlines.yaml'),
        })
        .strict(),
      update: ({ params }) => ({ country: params.country }),
    },
    setLanguage: {
      description: "Sets the user's language, e.g. `{ name: setLanguage, params: { language: uk } }`.",
      params: z.object({ language: z.string().refine((l) => tr.languages.includes(l), 'a language with a folder in locales/') }).strict(),
      update: ({ params }) => ({ language: params.language, languageChosen: true }),
    },
    forgetMe: {
      description: 'Deletes everything stored about this conversation at once (the "delete my data" button).',
      show: ({ context }) => [{ type: 'text', key: 'system.forgotten', text: tr.t(context.language, 'system.forgotten') }, { type: 'forget' }],
    },
  };

  const guards: Record<string, GuardDef<any>> = {
    hasCountry: { description: "The user's country (where they are now) is known.", check: (context) => context.country !== undefined },
    hasJobCountry: { description: 'The country where the job is is known.', check: (context) => context.jobCountry !== undefined },
    homeAsked: { description: 'The home-country question was answered or skipped (it is asked once).', check: (context) => context.homeAsked === true },
    answerIs: {
      description: 'A stored answer has a value: `{ name: answerIs, params: { question: job_abroad, answer: yes } }`.',
      params: z.object({ question: z.string(), answer: z.string() }).strict(),
      check: (context, params: { question: string; answer: string }) => context.answers[params.question] === params.answer,
    },
  };
  return { actions, guards };
}
