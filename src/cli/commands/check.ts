/** `lantern validate` and `lantern lint`: check flows/ and locales/ before publishing. */
import { loadConfig } from '../../server/config.js';
import type { Command } from '../command.js';
import { publishGateLoader } from '../content-cache.js';
import { contentPaths, loadChecked, printProblems } from '../project.js';

/** `lantern validate [dir]` */
export const validateCommand: Command = {
  usage: 'lantern validate [dir]   (dir holds flows/ and locales/; default: this project)',
  options: {},
  async run(_values, positionals, io) {
    const { problems } = loadChecked(contentPaths(positionals[0]));
    const errors = problems.filter((p) => p.severity === 'error');
    printProblems(errors, io.stderr);
    if (errors.length) {
      io.stderr.write(`\n${errors.length} error(s).\n`);
      return 1;
    }
    io.stdout.write('flows/ and locales/ are valid.\n');
    return 0;
  },
};

/** `lantern lint [dir]` */
export const lintCommand: Command = {
  usage: 'lantern lint [dir] [--strict]',
  options: { strict: { type: 'boolean', description: 'Exit 1 on warnings too.' } },
  async run(values, positionals, io) {
    // The same gate `serve` and its reloads pass: what is an error here is never served. Through
    // serve's cache, so a clean lint makes the next start of unchanged content check nothing.
    const { problems } = publishGateLoader(sqlitePath())(contentPaths(positionals[0]));
    printProblems(problems, io.stderr);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    io.stderr.write(`${errors} error(s), ${warnings} warning(s).\n`);
    return errors || (values.strict && warnings) ? 1 : 0;
  },
};

/** Where `serve` keeps its data (and so its cache); the default when the environment has a mistake (`serve` reports it). */
function sqlitePath(): string {
  try {
    return loadConfig().SQLITE_PATH;
  } catch {
    return './data/lantern.db';
  }
}
