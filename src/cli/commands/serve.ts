/** `lantern serve`: what `npm start` runs. */
import { watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlowError, formatProblem } from '../../content/index.js';
import { ConfigError, describeConfig, loadConfig, startServer, type RunningServer } from '../../server/index.js';
import type { CliIo, Command } from '../command.js';
import { publishGateLoader } from '../content-cache.js';
import { projectRoot } from '../project.js';

// An editor's save is often several events (write, rename, chmod): reload once they are over.
const WATCH_DEBOUNCE_MS = 300;

/** `lantern serve` */
export const serveCommand: Command = {
  usage: 'lantern serve [--watch]   (settings come from environment variables)',
  options: {
    watch: { type: 'boolean', description: 'Reload flows/ and locales/ whenever a file in them changes (for development).' },
  },
  details: () =>
    [
      'Environment variables:',
      ...describeConfig().map((v) => `  ${v.name.padEnd(26)}${v.description}${v.default ? ` Default: ${v.default}.` : ''}`),
      '',
      'Only content that `lantern lint` accepts is served: on start, SIGHUP and --watch, an edit with errors is refused with file:line:column.',
      'Signals: SIGHUP reloads flows/ and locales/ (a broken edit is rejected, the running version stays); SIGTERM finishes turns in flight and exits 0.',
    ].join('\n'),
  async run(values, _positionals, io) {
    // Signals that arrive while the server is still starting are held, not fatal (SIGHUP's
    // default action would end the process), and handled once it is up.
    const early = new Set<string>();
    const hold = (signal: string) => () => early.add(signal);
    const holders = { SIGHUP: hold('SIGHUP'), SIGTERM: hold('SIGTERM'), SIGINT: hold('SIGINT') } as const;
    for (const [signal, handler] of Object.entries(holders)) process.on(signal, handler);
    const release = () => {
      for (const [signal, handler] of Object.entries(holders)) process.off(signal, handler);
    };
    let server: RunningServer;
    try {
      // Checked content is cached in the data folder (beside the SQLite file; /data in Docker).
      // Only content `lantern lint` accepts is served (on reload and --watch too).
      server = await startServer({ loadContent: publishGateLoader(loadConfig().SQLITE_PATH) });
    } catch (error) {
      release();
      if (error instanceof ConfigError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      if (error instanceof FlowError) {
        io.stderr.write(`Lantern cannot start: the content has errors (\`lantern lint\` shows them too).\n${error.problems.map(formatProblem).join('\n')}\n`);
        return 1;
      }
      throw error;
    }
    io.stdout.write(`Lantern is running: open ${server.url.replace('127.0.0.1', 'localhost')}/ for the web widget.\n`);
    const reload = () => {
      try {
        const result = server.reload();
        if (result.ok) io.stdout.write('reloaded\n');
        else io.stderr.write(`reload rejected, the running version stays:\n${result.error.problems.map(formatProblem).join('\n')}\n`);
      } catch (error) {
        // Say so, and keep serving the running version: a reload must never take the server down.
        io.stderr.write(`reload failed, the running version stays: ${(error as Error).message}\n`);
      }
    };
    process.on('SIGHUP', reload);
    const stopWatching = values.watch ? watchContent(contentDirs(), reload, io) : undefined;
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        stopWatching?.();
        void server.close().then(done);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      release();
      if (early.has('SIGTERM') || early.has('SIGINT')) stop();
      else if (early.has('SIGHUP')) reload();
    });
    return 0;
  },
};

/** The folders the server loads content from, as the server resolves them. */
function contentDirs(): string[] {
  const config = loadConfig();
  return [resolve(config.FLOWS_DIR ?? join(projectRoot, 'flows')), resolve(config.LOCALES_DIR ?? join(projectRoot, 'locales'))];
}

/** Calls `onChange` once changes in any of `dirs` (recursively) have settled; returns a stop function. */
function watchContent(dirs: string[], onChange: () => void, io: CliIo): () => void {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, WATCH_DEBOUNCE_MS);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of dirs) {
    try {
      const watcher = watch(dir, { recursive: true }, changed);
      watcher.on('error', (error) => io.stderr.write(`--watch stopped watching ${dir}: ${error.message}\n`));
      watchers.push(watcher);
    } catch (error) {
      io.stderr.write(`--watch cannot watch ${dir}: ${(error as Error).message}\n`);
    }
  }
  io.stdout.write(`Watching ${dirs.join(' and ')} for changes.\n`);
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
