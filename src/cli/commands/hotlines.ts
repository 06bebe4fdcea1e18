/** `lantern hotlines`: the hotline directory, as users would see it. */
import type { Command } from '../command.js';
import { contentPaths, loadEngineOrReport } from '../project.js';

/** `lantern hotlines [--country CC] [--json]` */
export const hotlinesCommand: Command = {
  usage: 'lantern hotlines [--country CC] [--json]',
  options: { country: { type: 'string', description: 'Only this country (ISO code).' }, json: { type: 'boolean', description: 'Print JSON.' } },
  async run(values, _positionals, io) {
    const built = loadEngineOrReport(contentPaths(), { language: 'en' }, io.stderr);
    if (!built) return 1;
    const { directory } = built;
    const wanted = values.country ? [String(values.country).toUpperCase()] : directory.countries();
    const unknown = wanted.filter((c) => !directory.country(c));
    if (unknown.length) {
      io.stderr.write(`no entry for ${unknown.join(', ')}: countries are ${directory.countries().join(' ')}\n`);
      return 1;
    }
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(Object.fromEntries(wanted.map((c) => [c, { ...directory.country(c)!, shown: directory.shownHelplines(c).map((h) => h.id) }])), null, 2)}\n`,
      );
      return 0;
    }
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const cc of wanted) {
      const entry = directory.country(cc)!;
      io.stdout.write(`${cc} ${names.of(cc)} — emergency ${entry.emergency.number}\n`);
      for (const h of directory.shownHelplines(cc)) {
        io.stdout.write(`  ${h.organisation}: ${h.name}\n`);
        for (const n of h.numbers)
          io.stdout.write(`    ${n.number}${n.tollFree ? ' (free)' : ''}${n.from === 'abroad' ? ' (from abroad)' : ''}${n.shortCode ? ' [short code]' : ''}\n`);
        io.stdout.write(`    checked ${h.checked}, ${h.confidence}; source ${h.sources[0]}\n`);
      }
    }
    return 0;
  },
};
