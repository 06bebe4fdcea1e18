/**
 * Reads one evaluation round with the project as it stood at `commit` (a `git archive` in tmp/) and
 * writes, per message, what that tree decided: the engine's verdict (as `chat --json --fresh` runs
 * it), the emergency rule of its reading and the concepts found. The veto experiment (veto.ts)
 * learns nothing from these files: it only replays each tree's decision.
 *
 *   node bin/run-ts.js scripts/experiments/veto-dump.ts <commit|HEAD> <round folder> <out.json>
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { freshTurns, root, tree } from './shared.js';

export interface Dumped {
  language: string;
  kind: 'emergency' | 'ordinary';
  index: number;
  text: string;
  /** The engine gave the emergency answer. */
  emergency: boolean;
  /** The reading's emergency rule (undefined when none). */
  rule?: string;
  /** Concept ids of the reading. */
  concepts: string[];
}

const [commit, roundDir, out] = process.argv.slice(2);
if (!commit || !roundDir || !out) throw new Error('usage: veto-dump.ts <commit|HEAD> <round folder> <out.json>');
if (/fresh-2026-12-03g/.test(roundDir)) throw new Error('the kept set is never read');
const dir = commit === 'HEAD' ? root : tree(commit);
const imp = (p: string) => import(pathToFileURL(join(dir, p)).href);
const { shippedEngine } = await imp('test/helpers/content.ts');
const { jsonTurn } = await imp('src/cli/chat-json.ts');
const built = shippedEngine();
const rows: Dumped[] = [];
for (const f of readdirSync(roundDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  const set = parse(readFileSync(join(roundDir, f), 'utf8')) as { language: string } & Record<'emergency' | 'ordinary', { text: string }[] | undefined>;
  freshTurns<unknown>(built, set, (kind, index, text, result, language) => {
    const reading = built.engine.read(text, language) as { emergency?: { rule: string }; concepts: { id: string }[] } | undefined;
    rows.push({
      language: set.language,
      kind,
      index,
      text,
      emergency: jsonTurn(1, text, result).intent === 'emergency',
      ...(reading?.emergency ? { rule: reading.emergency.rule } : {}),
      concepts: (reading?.concepts ?? []).map((c) => c.id),
    });
  });
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(rows));
const em = rows.filter((r) => r.kind === 'emergency');
const ord = rows.filter((r) => r.kind === 'ordinary');
console.log(
  `${commit} ${roundDir}: emergency ${em.filter((r) => r.emergency).length}/${em.length}, false alarms ${ord.filter((r) => r.emergency).length}/${ord.length}`,
);
