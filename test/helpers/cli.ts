/** Runs `lantern <args>` in this process, as bin/lantern.js would, with its output captured. */
import { Readable, Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';

/** What a command printed and its exit code. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** A writable stream that keeps what is written to it as text. */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** `lantern <args>` with `input` as standard input (not a terminal; empty when left out). */
export async function lantern(args: string[], input = ''): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const stdin = Readable.from(input ? [input] : []);
  const code = await run(args, { stdout: stdout.stream, stderr: stderr.stream, stdin });
  return { code, out: stdout.text(), err: stderr.text() };
}
