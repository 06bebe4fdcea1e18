/** A small, dependency-free guess of a job ad's language: scripts first, then letters and common words. */

// Why not a library: the ads are short, the set of languages is small and fixed by the shipped
// pattern files, and a guess we can read and test beats an opaque model. Word lists hold short,
// frequent words that differ between languages sharing a script; a hit counts 1, a letter that
// only one language of that script uses counts 2.

interface LatinOrCyrillicProfile {
  lang: string;
  script: 'latin' | 'cyrillic';
  letters: RegExp;
  words: ReadonlySet<string>;
}

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter(Boolean));

const PROFILES: readonly LatinOrCyrillicProfile[] = [
  {
    lang: 'en',
    script: 'latin',
    letters: /(?!)/gu,
    words: words('the and you your we are for with to of is will work job our be this have in per hour hours month pay apply experience who must can not an at as or'),
  },
  {
    lang: 'es',
    script: 'latin',
    letters: /[ñ¿¡]/gu,
    words: words('el los las y que con para por una es se del trabajo sin experiencia salario mes más usted somos ofrecemos nuestra empresa puesto horas contrato requisitos buscamos'),
  },
  {
    lang: 'pt-BR',
    script: 'latin',
    letters: /[ãõ]/gu,
    words: words('o os as e com uma um é do da dos das não trabalho sem experiência salário mês você oferecemos nossa empresa vaga vagas horas contrato carteira registro em'),
  },
  {
    lang: 'fr',
    script: 'latin',
    letters: /[èêëœàùûîïÿ]/gu,
    words: words('le les et avec pour par une est du des au aux vous nous travail sans expérience salaire mois offrons notre entreprise poste heures contrat recherchons votre'),
  },
  {
    lang: 'ro',
    script: 'latin',
    letters: /[ăâșțşţ]/gu,
    words: words('și si în cu pentru un este sunt nu fără fara lucru muncă munca salariu lună luna experiență oferim firma firmă loc care din vă va ore contract căutăm cautam'),
  },
  {
    lang: 'sr',
    script: 'latin',
    letters: /[čćžšđ]/gu,
    words: words('i u za je na se da posao plata mesečno mesecno bez iskustva nudimo firma radnika rad smeštaj smestaj ili od sa su nije radnike potrebni ugovor'),
  },
  {
    lang: 'tl',
    script: 'latin',
    letters: /(?!)/gu,
    words: words('ang ng mga sa na at ay kayo ikaw trabaho sahod walang may po ninyo kailangan buwan agad lang natin hindi bayad kami namin magbayad'),
  },
  {
    lang: 'ru',
    script: 'cyrillic',
    letters: /[ыэъё]/gu,
    words: words('и в на с для не что работа зарплата без опыта мы вы это по от до месяц требуются предлагаем жилье жильё только или как'),
  },
  {
    lang: 'uk',
    script: 'cyrillic',
    letters: /[іїєґ]/gu,
    words: words('і в на з для не що робота зарплата без досвіду ми ви це по від до місяць потрібні пропонуємо житло та або як тільки лише'),
  },
  {
    lang: 'sr',
    script: 'cyrillic',
    letters: /[ђјљњћџ]/gu,
    words: words('и у за је на се да посао плата без искуства нудимо радника смештај или од са су није уговор'),
  },
];

/** Scripts that one supported language owns outright. */
const SCRIPT_LANGUAGES: readonly { lang: string; letters: RegExp }[] = [
  { lang: 'km', letters: /\p{Script=Khmer}/gu },
  { lang: 'ar', letters: /\p{Script=Arabic}/gu },
  { lang: 'hi', letters: /\p{Script=Devanagari}/gu },
];

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Returns the most likely language tag among en, uk, ru, ro, es, pt-BR, fr, sr, hi, tl, km, ar; 'en' when it cannot tell. */
export function detectLanguage(text: string): string {
  const lower = text.toLowerCase();
  const latin = count(lower, /\p{Script=Latin}/gu);
  const cyrillic = count(lower, /\p{Script=Cyrillic}/gu);
  let best = { lang: 'en', letters: Math.max(latin, cyrillic) };
  for (const { lang, letters } of SCRIPT_LANGUAGES) {
    const n = count(lower, letters);
    if (n > best.letters) best = { lang, letters: n };
  }
  if (best.lang !== 'en') return best.lang;
  if (latin === 0 && cyrillic === 0) return 'en';

  const script = cyrillic > latin ? 'cyrillic' : 'latin';
  const tokens = lower.split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  let winner = { lang: script === 'latin' ? 'en' : 'ru', score: 0 };
  for (const profile of PROFILES) {
    if (profile.script !== script) continue;
    let score = 2 * count(lower, profile.letters);
    for (const token of tokens) if (profile.words.has(token)) score += 1;
    if (score > winner.score) winner = { lang: profile.lang, score };
  }
  return winner.lang;
}
