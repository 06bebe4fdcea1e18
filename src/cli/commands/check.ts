/** `lantern validate` and `lantern lint`: check flows/ and locales/ before publishing. */
import { checkRegistryFor } from '../../engine/index.js';
import { lintContent } from '../../flows/index.js';
import type { Command } from '../command.js';
import { contentPaths, loadChecked, printProblems } from '../project.js';

/** `lantern validate [dir]` */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'parse and check every file in flows/ and locales/',
  usage: 'lantern validate [dir]   (dir holds flows/ and locales/; default: this project)',
  options: {},
  async run(_values, positionals) {
    const { problems } = loadChecked(contentPaths(positionals[0]));
    const errors = problems.filter((p) => p.severity === 'error');
    printProblems(errors);
    if (errors.length) {
      process.stderr.write(`\n${errors.length} error(s).\n`);
      return 1;
    }
    process.stdout.write('flows/ and locales/ are valid.\n');
    return 0;
  },
};

/** `lantern lint [dir]` */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'validate plus deeper checks: unreachable states, dead ends, translations, button limits, phone numbers',
  usage: 'lantern lint [dir] [--strict]',
  options: { strict: { type: 'boolean', description: 'Exit 1 on warnings too.' } },
  async run(values, positionals) {
    const loaded = loadChecked(contentPaths(positionals[0]));
    let problems = loaded.problems;
    if (loaded.content && !problems.some((p) => p.severity === 'error')) {
      problems = lintContent(loaded.content, loaded.sources, checkRegistryFor(loaded.content));
    }
    printProblems(problems);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    process.stderr.write(`${errors} error(s), ${warnings} warning(s).\n`);
    return errors || (values.strict && warnings) ? 1 : 0;
  },
};
