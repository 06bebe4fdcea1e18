import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/content.js';
import { requireService } from '../helpers/requires.js';

/*
 * The real bin/lantern.js, in a child process, on a copy of this checkout (bin/, src/, dist/;
 * node_modules, flows/ and locales/ linked): it runs the build when dist/ is newer than every
 * source, and the sources through tsx as soon as one is edited. Every other CLI test runs the
 * command in-process (test/helpers/cli.ts).
 */

const hasBuild = requireService('a build in dist/', existsSync(join(root, 'dist/cli/main.js')), 'run `npm run build`; `npm ci` does it');
const AD = 'Job in Germany! Pay a fee of 500 EUR before you leave, we keep your passport for safety.\n';

let copy: string;
beforeAll(() => {
  if (!hasBuild) return;
  copy = mkdtempSync(join(tmpdir(), 'lantern-bin-'));
  // Sources first, then the build: the copied dist/ is newer than every copied source.
  cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  for (const linked of ['node_modules', 'flows', 'locales']) symlinkSync(join(root, linked), join(copy, linked));
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Runs the copy's bin/lantern.js; `modules` lists what it imported. */
function lantern(args: string[], input = '') {
  const log = join(copy, `modules-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', join(root, 'test/helpers/record-modules.mjs'), join(copy, 'bin/lantern.js'), ...args], {
    cwd: copy,
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, LANTERN_MODULE_LOG: log },
  });
  return { code: result.status, out: result.stdout, err: result.stderr, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe.runIf(hasBuild)('bin/lantern.js', () => {
  it('runs the build when it is up to date: --help loads no dependency at all, --json prints JSON only', () => {
    const help = lantern(['--help']);
    expect(help.code, help.err).toBe(0);
    expect(help.out).toContain('Usage: lantern <command>');
    expect(help.err).toBe('');
    expect(help.modules).toContain(`file://${join(copy, 'dist/cli/main.js')}`);
    expect(help.modules.filter((m) => m.includes('/node_modules/') || m.endsWith('.ts'))).toEqual([]);
    expect(help.modules.filter((m) => m.startsWith('file:')).length).toBeLessThanOrEqual(4); // bin/lantern.js, build-state.js, main.js, command.js

    // serve --help reads the settings' descriptions, not the channels: no SDK is loaded for it.
    const serveHelp = lantern(['serve', '--help']);
    expect(serveHelp.out).toContain('TELEGRAM_BOT_TOKEN');
    for (const sdk of ['botbuilder', 'telegraf'])
      expect(
        serveHelp.modules.filter((m) => m.includes(`/node_modules/${sdk}/`)),
        sdk,
      ).toEqual([]);

    const ad = lantern(['analyse-ad', '--json', '-'], AD);
    expect(ad.code, ad.err).toBe(0);
    expect(ad.out.split('\n')).toHaveLength(2); // one line, then the final newline
    expect(JSON.parse(ad.out)).toMatchObject({ level: expect.stringMatching(/high|urgent/), language: 'en' });
    for (const sdk of ['botbuilder', 'telegraf', 'qrcode', 'tsx'])
      expect(
        ad.modules.filter((m) => m.includes(`/node_modules/${sdk}/`)),
        sdk,
      ).toEqual([]);
  });

  it('runs the sources through tsx once a source is newer than its build, and says so on stderr only', () => {
    const main = join(copy, 'src/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('lantern — a chatbot', 'lantern (edited) — a chatbot'));
    const help = lantern(['--help']);
    expect(help.code, help.err).toBe(0);
    expect(help.out.startsWith('lantern (edited) — a chatbot')).toBe(true);
    expect(help.err).toContain('npm run build');
    expect(help.modules).toContain(`file://${main}`);
  });
});
