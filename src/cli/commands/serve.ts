/** `lantern serve`: what `npm start` runs. */
import { FlowError, formatProblem } from '../../flows/index.js';
import { ConfigError, describeConfig, startServer } from '../../server/index.js';
import type { Command } from '../command.js';

/** `lantern serve` */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the web widget, Direct Line, /api/messages, health and metrics (and Telegram when a token is set)',
  usage: 'lantern serve   (settings come from environment variables)',
  options: {},
  details: () =>
    [
      'Environment variables:',
      ...describeConfig().map((v) => `  ${v.name.padEnd(26)}${v.description}${v.default ? ` Default: ${v.default}.` : ''}`),
      '',
      'Signals: SIGHUP reloads flows/ and locales/ (a broken edit is rejected, the running version stays); SIGTERM finishes turns in flight and exits 0.',
    ].join('\n'),
  async run() {
    let server;
    try {
      server = await startServer();
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        return 1;
      }
      if (error instanceof FlowError) {
        process.stderr.write(`Lantern cannot start: the content has errors.\n${error.problems.map(formatProblem).join('\n')}\n`);
        return 1;
      }
      throw error;
    }
    process.stdout.write(`Lantern is running: open ${server.url.replace('127.0.0.1', 'localhost')}/ for the web widget.\n`);
    process.on('SIGHUP', () => {
      const result = server.reload();
      if (!result.ok) process.stderr.write(`reload rejected, the running version stays:\n${result.error.problems.map(formatProblem).join('\n')}\n`);
    });
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void server.close().then(done);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
