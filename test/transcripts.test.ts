/** Runs every conversation transcript in test/transcripts through the engine. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcriptFiles } from '../src/cli/commands/test.js';
import { parseTranscript, runTranscript } from '../src/cli/transcript.js';
import { root, shippedEngine } from './helpers/content.js';

const { engine } = shippedEngine();
const files = transcriptFiles([join(root, 'test/transcripts')]);

describe('transcripts', () => {
  it('exist', () => expect(files.length).toBeGreaterThanOrEqual(7));
  for (const file of files) {
    const name = relative(root, file);
    it(name, () => {
      const { transcript, problems } = parseTranscript(readFileSync(file, 'utf8'), name);
      expect(problems).toEqual([]);
      const failures = runTranscript(engine, transcript!);
      expect(failures.map((f) => `step ${f.step}: expected ${f.expected}\n  got: ${f.got.join('\n       ')}`)).toEqual([]);
    });
  }

  it('a transcript that expects the wrong thing fails', () => {
    const { transcript } = parseTranscript('name: wrong\nsteps:\n  - user: /start\n    bot:\n      - key: menu.nonexistent\n', 'inline.yaml');
    expect(runTranscript(engine, transcript!)).toHaveLength(1);
  });
});
