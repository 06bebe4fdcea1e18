/** The translator's fast path (texts split at their {{vars}} once) renders exactly what i18next would. */
import { describe, expect, it } from 'vitest';
import { createTranslator, type LocaleBundle } from '../../src/i18n/index.js';

const bundle = {
  languages: ['en', 'ro'],
  meta: {},
  files: {},
  resources: {
    en: {
      menu: {
        plain: 'Choose a topic',
        one: 'Call {{number}} now',
        spaced: 'In {{ country }}, call {{number}}.',
        edges: '{{a}}{{b}}',
        dotted: 'Hello {{user.name}}',
        odd: 'Keep {{not a var}} as it is',
        count_one: '{{count}} fact',
        count_other: '{{count}} facts',
        only_en: 'English only, {{number}}',
      },
    },
    ro: { menu: { one: 'Sunați acum la {{number}}', spaced: 'În {{country}}, sunați la {{number}}.' } },
  },
} as unknown as LocaleBundle;

describe('the translator', () => {
  const tr = createTranslator(bundle);
  it('renders plain texts and fills every {{var}}, with or without spaces, at the start, end or side by side', () => {
    expect(tr.t('en', 'menu.plain')).toBe('Choose a topic');
    expect(tr.t('en', 'menu.one', { number: '112' })).toBe('Call 112 now');
    expect(tr.t('ro', 'menu.one', { number: '112' })).toBe('Sunați acum la 112');
    expect(tr.t('ro', 'menu.spaced', { country: 'Moldova', number: '112' })).toBe('În Moldova, sunați la 112.');
    expect(tr.t('en', 'menu.edges', { a: 'x', b: 'y' })).toBe('xy');
    expect(tr.t('en', 'menu.dotted', { 'user.name': 'Ana' })).toBe('Hello Ana');
  });
  it('renders a missing var as nothing, keeps what is not a var, and falls back to English', () => {
    expect(tr.t('en', 'menu.one')).toBe('Call  now');
    expect(tr.t('en', 'menu.odd')).toBe('Keep {{not a var}} as it is');
    expect(tr.t('ro', 'menu.only_en', { number: '0 800 77777' })).toBe('English only, 0 800 77777');
    expect(tr.t('ro', 'menu.plain')).toBe('Choose a topic');
  });
  it('leaves plurals to i18next', () => {
    expect(tr.t('en', 'menu.count', { count: 1 })).toBe('1 fact');
    expect(tr.t('en', 'menu.count', { count: 3 })).toBe('3 facts');
  });
});
