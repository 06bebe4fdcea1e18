/** `lantern stats`: the anonymous figures of a running server, as tables (or CSV) for NGO staff. */
import { ConfigError, loadConfig } from '../../server/index.js';
import { UsageError, type Command } from '../command.js';

/** One sample of a Prometheus counter. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads Prometheus text exposition (the counters Lantern writes). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, '$1');
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The tables NGO staff read: where people go and leave, results, hotlines, languages. */
export function statsTables(samples: Sample[]): { title: string; columns: string[]; rows: (string | number)[][] }[] {
  const of = (name: string) => samples.filter((s) => s.name === name && s.value > 0);
  const visits = of('lantern_flow_visits_total');
  const flows = [...new Set(visits.map((v) => v.labels.flow!))].sort();
  const steps = flows.flatMap((flow) => {
    const rows = visits.filter((v) => v.labels.flow === flow).sort((a, b) => b.value - a.value);
    const top = rows[0]?.value ?? 1;
    return rows.map((v) => [flow, v.labels.state!, v.value, `${Math.round((100 * v.value) / top)}%`]);
  });
  const byLabel = (name: string, label: string) =>
    of(name)
      .sort((a, b) => b.value - a.value)
      .map((s) => [s.labels[label]!, s.value]);
  const turns = of('lantern_turns_total').map((s) => [s.labels.channel!, s.labels.outcome!, s.value]);
  return [
    { title: 'Turns by channel', columns: ['channel', 'outcome', 'turns'], rows: turns },
    {
      title: "Where people go (visits per step; % of the flow's busiest step — a low share after a question shows where people leave)",
      columns: ['flow', 'step', 'visits', 'share'],
      rows: steps,
    },
    { title: 'Job-offer screenings by result', columns: ['level', 'screenings'], rows: byLabel('lantern_screening_results_total', 'level') },
    { title: 'Job ads checked by result', columns: ['level', 'ads'], rows: byLabel('lantern_job_ad_checks_total', 'level') },
    { title: 'Hotline answers by country', columns: ['country', 'answers'], rows: byLabel('lantern_hotline_answers_total', 'country') },
    { title: 'Emergency words, help and odd input', columns: ['intent', 'times'], rows: byLabel('lantern_intents_total', 'intent') },
    { title: 'Turns by language', columns: ['language', 'turns'], rows: byLabel('lantern_turn_languages_total', 'language') },
  ];
}

const csvCell = (v: string | number) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));

/** `lantern stats [--url http://host:port] [--csv]` */
export const statsCommand: Command = {
  usage: 'lantern stats [--url http://localhost:3978] [--csv]   (sends METRICS_TOKEN when it is set)',
  options: {
    url: { type: 'string', description: 'The server (default http://localhost:3978). Figures count since that server started.' },
    csv: { type: 'boolean', description: 'Print CSV (one table after another, with a title row) for a spreadsheet.' },
  },
  async run(values, _positionals, io) {
    const base = ((values.url as string | undefined) ?? 'http://localhost:3978').replace(/\/$/, '');
    let token: string | undefined;
    try {
      token = loadConfig().METRICS_TOKEN;
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    let res: Response;
    try {
      res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new UsageError(`cannot read ${base}/metrics (${(error as Error).message}): is Lantern running there? Use --url to point at it.`);
    }
    if (res.status === 401)
      throw new UsageError(
        `${base}/metrics asks for a token: set METRICS_TOKEN to the server's METRICS_TOKEN${token ? ' (the one set was refused)' : ''} and run lantern stats again.`,
      );
    if (!res.ok) throw new UsageError(`cannot read ${base}/metrics (HTTP ${res.status}): is Lantern running there? Use --url to point at it.`);
    const text = await res.text();
    const tables = statsTables(parseMetrics(text));
    for (const table of tables) {
      if (values.csv) {
        io.stdout.write(
          `${csvCell(table.title)}\n${table.columns.join(',')}\n${table.rows.map((r) => r.map(csvCell).join(',')).join('\n')}${table.rows.length ? '\n' : ''}\n`,
        );
        continue;
      }
      io.stdout.write(`\n${table.title}\n`);
      if (!table.rows.length) {
        io.stdout.write('  (nothing yet)\n');
        continue;
      }
      const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => String(r[i]).length)));
      const line = (cells: (string | number)[]) =>
        `  ${cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ')}\n`;
      io.stdout.write(line(table.columns) + table.rows.map(line).join(''));
    }
    return 0;
  },
};
