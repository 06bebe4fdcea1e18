/** `lantern studio` as staff start it: the real bin, its one line when ready, and its refusals. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lantern } from '../helpers/cli.js';
import { contentCopy, root } from '../helpers/content.js';

const copy = contentCopy({});
afterAll(() => copy.cleanup());

/** Starts the real command; resolves with its first stdout line, its stderr and the process. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(root, 'bin', 'lantern.js'), 'studio', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('\n') && resolve(out));
    child.on('exit', () => reject(new Error(`exited: ${err}`)));
  });
  // Awaited only by the test that waits for the studio to be ready.
  ready.catch(() => undefined);
  return { child, ready, output: () => ({ out, err }) };
}

describe('lantern studio', () => {
  it('prints where it is once it listens, answers there on loopback, and stops on SIGTERM', async () => {
    const studio = start(['--port', '0', '--dir', copy.dir]);
    const line = await studio.ready;
    const match = /^Studio at http:\/\/127\.0\.0\.1:(\d+)\/\n$/.exec(line);
    expect(match, line).not.toBeNull();
    const answer = await fetch(`http://127.0.0.1:${match![1]}/api/state`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { flows: string[] }).flows).toContain('main');
    studio.child.kill('SIGTERM');
    const [code] = (await once(studio.child, 'exit')) as [number];
    expect(code).toBe(0);
  });

  it('refuses to listen beyond this computer without STUDIO_TOKEN, and a weak token', async () => {
    const open = await lantern(['studio', '--port', '0', '--dir', copy.dir, '--host', '0.0.0.0']);
    expect(open.code).toBe(1);
    expect(open.err).toMatch(/unless STUDIO_TOKEN is set/);
    const weak = start(['--port', '0', '--dir', copy.dir], { STUDIO_TOKEN: 'password' });
    const [code] = (await once(weak.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(weak.output().err).toMatch(/STUDIO_TOKEN: use at least 32 characters/);
  });

  it('has --help that a new staff member can start from', async () => {
    const help = await lantern(['studio', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: lantern studio [--port N] [--dir <content folder>]');
    expect(help.out).toContain('STUDIO_TOKEN');
  });
});
