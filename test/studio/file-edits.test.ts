/** The studio's file writes keep what people wrote: comments, key order, flow style. */
import { describe, expect, it } from 'vitest';
import { contentHashOf, editJson, editYaml, lineDiff, yamlAt } from '../../src/studio/file-edits.js';

const flow = `# The main menu. Every conversation starts here.
id: main
start: welcome
states:
  welcome:
    say: [menu.welcome, menu.privacy] # both, in this order
    next: menu
  menu:
    ask: menu.question
    choices:
      - id: check
        label: menu.check_offer
        next: { flow: screening }
      - id: forget
        label: menu.forget
        next: forget
  forget:
    action: forgetMe
    next: done
`;

describe('editYaml', () => {
  it('changes one value and leaves every comment, key order and flow style as written', () => {
    const out = editYaml(flow, [{ path: ['states', 'menu', 'choices', 1, 'next'], value: 'welcome' }]);
    expect(out).toBe(flow.replace('        next: forget', '        next: welcome'));
  });

  it('writes another flow as a mapping and adds a new step at the end', () => {
    const out = editYaml(flow, [
      { path: ['states', 'welcome', 'next'], value: { flow: 'facts' } },
      { path: ['states', 'trap'], value: { say: 'menu.welcome', next: 'menu' } },
    ]);
    expect(out).toContain('# both, in this order');
    expect(out).toContain('next: { flow: screening }');
    expect(out).toContain('  welcome:\n    say: [menu.welcome, menu.privacy] # both, in this order\n    next: { flow: facts }\n');
    expect(out.trimEnd().endsWith('  trap:\n    say: menu.welcome\n    next: menu')).toBe(true);
  });

  it('puts a step written in the studio in place exactly as typed, comments included', () => {
    const raw = 'ask: menu.question # asked again\nchoices:\n  - id: back\n    label: menu.forget\n    next: welcome\n';
    const out = editYaml(flow, [{ path: ['states', 'menu'], value: {}, raw }]);
    expect(out).toContain(
      '  menu:\n    ask: menu.question # asked again\n    choices:\n      - id: back\n        label: menu.forget\n        next: welcome\n  forget:\n',
    );
    expect(yamlAt(out, ['states', 'menu'])).toBe(raw);
  });

  it('refuses to edit a file that is not YAML', () => {
    expect(() => editYaml('a: [1, 2', [{ path: ['a'], value: 1 }])).toThrow(/not valid YAML/);
  });

  it('gives one step back as people wrote it', () => {
    expect(yamlAt(flow, ['states', 'welcome'])).toBe('say: [menu.welcome, menu.privacy] # both, in this order\nnext: menu\n');
  });
});

describe('editJson', () => {
  it('keeps the key order, changes in place and appends new keys', () => {
    const text = '{\n  "welcome": "Hi",\n  "check_offer": "Check",\n  "rights": "Rights"\n}\n';
    expect(editJson(text, [{ path: ['check_offer'], value: 'Check an offer' }])).toBe(
      '{\n  "welcome": "Hi",\n  "check_offer": "Check an offer",\n  "rights": "Rights"\n}\n',
    );
    expect(Object.keys(JSON.parse(editJson(text, [{ path: ['a', 'b'], value: 'x' }])) as object)).toEqual(['welcome', 'check_offer', 'rights', 'a']);
  });
});

describe('contentHashOf and lineDiff', () => {
  it('tells two versions of a file apart, and a missing file from an empty one', () => {
    expect(contentHashOf('a')).toBe(contentHashOf('a'));
    expect(contentHashOf('a')).not.toBe(contentHashOf('b'));
    expect(contentHashOf(undefined)).not.toBe(contentHashOf(''));
  });

  it('shows the changed line with its context', () => {
    const diff = lineDiff('a\nb\nc\nd\ne\nf\n', 'a\nb\nc\nD\ne\nf\n');
    expect(diff.split('\n')).toEqual(['@@ line 2 @@', '  b', '  c', '- d', '+ D', '  e', '  f']);
  });
});
