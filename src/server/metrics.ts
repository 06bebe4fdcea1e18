/** Prometheus metrics: turns, latency, errors, and anonymous content figures. No text, no ids. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TurnReport } from './conversation-service.js';

/** The metrics of one server. */
export interface Metrics {
  registry: Registry;
  record(report: TurnReport): void;
}

/** Creates a registry with Lantern's metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labels = <T extends string>(name: string, help: string, labelNames: T[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const turns = labels('lantern_turns_total', 'Turns handled, by channel and outcome.', ['channel', 'outcome']);
  const latency = new Histogram({
    name: 'lantern_turn_seconds',
    help: 'Time to answer a turn, by channel.',
    labelNames: ['channel'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const visits = labels('lantern_flow_visits_total', 'Visits per flow state (where people go and where they leave).', ['flow', 'state']);
  const intents = labels('lantern_intents_total', 'Global intents and odd inputs (emergency, help, expired buttons...).', ['intent']);
  const hotlines = labels('lantern_hotline_answers_total', 'Hotline answers shown, by country.', ['country']);
  const screenings = labels('lantern_screening_results_total', 'Screening results, by level.', ['level']);
  const adChecks = labels('lantern_job_ad_checks_total', 'Job ads checked, by resulting level.', ['level']);
  const languages = labels('lantern_turn_languages_total', 'Turns by language.', ['language']);
  return {
    registry,
    record(report) {
      turns.inc({ channel: report.channel, outcome: report.outcome });
      latency.observe({ channel: report.channel }, report.ms / 1000);
      languages.inc({ language: report.language });
      for (const note of report.notes) {
        if (note.type === 'visit') visits.inc({ flow: note.flow, state: note.state });
        else if (note.type === 'intent') intents.inc({ intent: note.intent });
        else if (note.type === 'hotline') hotlines.inc({ country: note.country });
        else if (note.type === 'action' && note.name === 'scoreScreening' && note.detail) screenings.inc({ level: note.detail });
        else if (note.type === 'action' && note.name === 'analyseJobAd' && note.detail) adChecks.inc({ level: note.detail });
      }
    },
  };
}
