/** `lantern analyse-ad`: the job-ad checker on a file or standard input. */
import { readFileSync } from 'node:fs';
import { text as readAll } from 'node:stream/consumers';
import { analyseAd, resolveAdLanguage } from '../../screening/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths, loadEngineOrReport } from '../project.js';

/** `lantern analyse-ad [--lang xx] [--json] [file|-]` */
export const analyseAdCommand: Command = {
  usage: 'lantern analyse-ad [--lang xx] [--json] [file|-]',
  options: {
    lang: { type: 'string', description: "The ad's language (detected when left out); pt, pt-PT or sr-Latn find the nearest language we read." },
    json: { type: 'boolean', description: 'Print {"level", "language", "flags": [{indicator, category, text, start, end}]}.' },
  },
  details: () => 'Levels: low (no red flag found, or one weak sign: still check the offer), caution, high, urgent. The checker never calls an ad safe.',
  async run(values, positionals, io) {
    const file = positionals[0] ?? '-';
    let text: string;
    try {
      text = file === '-' ? await readAll(io.stdin) : readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const built = loadEngineOrReport(contentPaths(), { language: 'en' }, io.stderr);
    if (!built) return 1;
    const lang = values.lang as string | undefined;
    const languages = built.content.adConcepts.languages.map((l) => l.language);
    // A language we have no concepts for is not worth failing over: say so, and read the ad in the language it is written in.
    const known = lang ? resolveAdLanguage(lang, languages) : undefined;
    if (lang && !known)
      io.stderr.write(`no job-ad concepts for language \`${lang}\` (languages are ${languages.join(', ')}): the language is detected from the text\n`);
    const result = analyseAd(text, built.content.adConcepts, built.content.indicators, known ? { lang: known } : {});
    if (values.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    io.stdout.write(`level: ${result.level}   language: ${result.language}   red flags: ${result.flags.length}\n`);
    for (const f of result.flags)
      io.stdout.write(`  ${String(f.start).padStart(5)}-${String(f.end).padEnd(5)} ${f.indicator.padEnd(26)} ${f.category.padEnd(24)} «${f.text}»\n`);
    if (result.flags.length === 0)
      io.stdout.write('No red-flag phrase found. That does not make the offer safe: check the agency, the contract and the employer.\n');
    else if (result.level === 'low')
      io.stdout.write('Only a weak sign was found. That does not make the offer safe: check the agency, the contract and the employer.\n');
    return 0;
  },
};
