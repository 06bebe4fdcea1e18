/** `lantern test`: runs conversation transcripts written in YAML. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from '../command.js';
import { contentPaths, loadEngineOrReport, printProblems, projectRoot } from '../project.js';
import { parseTranscript, runTranscript } from '../transcript.js';

/** Transcript files named on the command line (files or folders), default test/transcripts. */
export function transcriptFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) visit(join(p, f));
    else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) visit(p);
  return out;
}

/** `lantern test [files or folders]` */
export const testCommand: Command = {
  usage: 'lantern test [transcript files or folders]   (default: test/transcripts)',
  options: {},
  details: () =>
    'A transcript is YAML: name, lang, country, and steps of `user:` / `press:` / `raw:` / `unsupported:` with `bot:` expectations (key, text, contact, choices, notText, forgotten, ended).',
  async run(_values, positionals, io) {
    const files = transcriptFiles(positionals.length ? positionals : [join(projectRoot, 'test', 'transcripts')]);
    if (!files.length) {
      io.stderr.write('no transcript files found\n');
      return 1;
    }
    const built = loadEngineOrReport(contentPaths(), { language: 'en' }, io.stderr);
    if (!built) return 1;
    let failed = 0;
    for (const file of files) {
      const name = relative(process.cwd(), file);
      const { transcript, problems } = parseTranscript(readFileSync(file, 'utf8'), name);
      if (!transcript) {
        printProblems(problems, io.stderr);
        failed++;
        continue;
      }
      const failures = runTranscript(built.engine, transcript);
      if (!failures.length) {
        io.stdout.write(`✓ ${name}: ${transcript.name}\n`);
        continue;
      }
      failed++;
      io.stdout.write(`✗ ${name}: ${transcript.name}\n`);
      for (const f of failures) io.stdout.write(`    step ${f.step}: expected ${f.expected}; the bot said:\n${f.got.map((g) => `      ${g}`).join('\n')}\n`);
    }
    io.stdout.write(`${files.length - failed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
  },
};
