import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lantern } from '../helpers/cli.js';
import { contentCopy, root } from '../helpers/content.js';

// In this process (test/helpers/cli.ts); test/cli/bin.test.ts runs the real bin/lantern.js.

describe('lantern validate and lint', () => {
  it('pass on what ships', async () => {
    expect(await lantern(['validate'])).toMatchObject({ code: 0 });
    const lint = await lantern(['lint']);
    expect(lint.code, lint.err).toBe(0);
    expect(lint.err).toContain('0 error(s)');
  });

  it('fail with file:line:column on a broken copy', async () => {
    const copy = contentCopy({
      'flows/broken.flow.yaml': readFileSync(join(root, 'test/fixtures/broken-flows/unknown_state.flow.yaml'), 'utf8').replace(
        'id: unknown_state',
        'id: broken',
      ),
    });
    try {
      const result = await lantern(['validate', copy.dir]);
      expect(result.code).toBe(1);
      expect(result.err).toContain('flows/broken.flow.yaml:13:9: unknown state `q_fe`; did you mean `q_fee`?');
    } finally {
      copy.cleanup();
    }
  });
});

describe('lantern chat without a terminal', () => {
  it('reaches the main menu, a fact, the hotline answer and the emergency answer', async () => {
    const script = ['/start md', '3', '1', '3', '4', 'sos', ''].join('\n');
    const { code, out } = await lantern(['chat'], script);
    expect(code).toBe(0);
    expect(out).toContain('bot: What would you like to do?');
    expect(out).toMatch(/↗ Source: .+ \(\d{4}\): https:\/\//); // a fact with its source and year
    expect(out).toContain('bot: Help in Moldova:');
    expect(out).toContain('🆘 Emergency number: 112');
    expect(out).toContain('bot: If you are in danger now, call the emergency number.');
    expect(out.indexOf('> sos')).toBeLessThan(out.lastIndexOf('0 800 77777'));
  });

  it('starts in another flow and speaks the asked language', async () => {
    const { code, out } = await lantern(['chat', '--flow', 'hotlines', '--country', 'ua'], '');
    expect(code).toBe(0);
    expect(out).toContain('Help in Ukraine:');
    expect(out).toContain('527');
  });
});

describe('other commands', () => {
  it('every command has --help', async () => {
    const overview = await lantern(['--help']);
    expect(overview.code).toBe(0);
    const names = [...overview.out.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['serve', 'validate', 'lint', 'chat', 'graph', 'test', 'hotlines', 'schema']));
    for (const name of names) {
      const help = await lantern([name, '--help']);
      expect(help.code, name).toBe(0);
      expect(help.out).toContain(`Usage: lantern ${name}`);
    }
    expect((await lantern(['serve', '--help'])).out).toContain('HASH_SECRET');
  });

  it('graph draws a flow in mermaid and dot', async () => {
    const mermaid = await lantern(['graph', 'main']);
    expect(mermaid.out).toContain('flowchart TD');
    expect(mermaid.out).toContain('menu -->|rights| facts');
    const dot = await lantern(['graph', 'hotlines', '--format', 'dot']);
    expect(dot.out).toContain('digraph hotlines');
    expect(dot.out).toContain('check -> show [label="hasCountry"]');
    expect((await lantern(['graph', 'nope'])).code).toBe(1);
    expect((await lantern(['graph', 'main', '--format', 'png'])).code).toBe(2);
  });

  it('hotlines prints what users see', async () => {
    const json = JSON.parse((await lantern(['hotlines', '--country', 'md', '--json'])).out);
    expect(json.MD.emergency.number).toBe('112');
    expect(json.MD.shown[0]).toBe('md-lastrada');
    // A line's WhatsApp channel is in the JSON, for people who are watched or have no credit (issue 12).
    const mx = JSON.parse((await lantern(['hotlines', '--country', 'mx', '--json'])).out).MX;
    expect(mx.shown).toContain('mx-lnctp');
    expect(mx.helplines.find((h: { id: string }) => h.id === 'mx-lnctp').whatsapp).toBe('+52 800 5533 000');
    expect((await lantern(['hotlines', '--country', 'zz'])).code).toBe(1);
  });

  it('test runs the transcripts and exits 1 when one fails', async () => {
    const ok = await lantern(['test']);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toMatch(/\d+ passed, 0 failed/);
  });

  it('unknown commands and options are usage errors', async () => {
    expect((await lantern(['frobnicate'])).code).toBe(2);
    expect((await lantern(['validate', '--nope'])).code).toBe(2);
  });
});
