/** `lantern studio`: the browser workbench for NGO staff (flows, simulator, translations, hotlines, versions). */
import { resolve } from 'node:path';
import { ConfigError, loadStudioConfig } from '../../server/index.js';
import { startStudio, StudioError } from '../../studio/index.js';
import { formatProblem, type Problem } from '../../content/index.js';
import { UsageError, type Command } from '../command.js';
import { contentPaths } from '../project.js';

/** `lantern studio [--port N] [--dir folder] [--server URL] [--host address]` */
export const studioCommand: Command = {
  usage: 'lantern studio [--port N] [--dir <content folder>] [--server URL] [--host address]',
  options: {
    port: { type: 'string', description: 'Port to listen on (default 4000; 0: any free port).' },
    dir: { type: 'string', description: 'Folder holding flows/ and locales/ (default: this project).' },
    server: { type: 'string', description: 'A running `lantern serve` (e.g. http://127.0.0.1:3978): its /metrics shows how often people pass each step.' },
    host: { type: 'string', description: 'Address to listen on (default 127.0.0.1). Anything beyond this computer needs STUDIO_TOKEN.' },
  },
  details: () =>
    [
      'Open the address it prints in a browser. Pages: Flows, Simulator, Translations, Hotlines, Versions.',
      'Every save runs the checks of `lantern lint`; a save with an error (or a new dead end) is refused and nothing is written.',
      'Every save is a version: a git commit when the content folder is in git, else a copy under .lantern-versions/.',
      'A server started with `lantern serve --watch` picks up each save; otherwise send it SIGHUP.',
      '',
      'Environment:',
      '  STUDIO_TOKEN              With it the studio asks for this token on a login page and may listen beyond 127.0.0.1 (--host).',
    ].join('\n'),
  async run(values, _positionals, io) {
    const port = values.port === undefined ? 4000 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535');
    let token: string | undefined;
    try {
      token = loadStudioConfig().STUDIO_TOKEN;
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const dir = resolve(contentPaths(values.dir as string | undefined).flowsDir, '..');
    let studio;
    try {
      studio = await startStudio({
        dir,
        port,
        ...(values.host ? { host: values.host as string } : {}),
        ...(token ? { token } : {}),
        ...(values.server ? { serverUrl: values.server as string } : {}),
      });
    } catch (error) {
      if (error instanceof StudioError) {
        io.stderr.write(`${error.message}\n`);
        for (const p of (error.details ?? []) as Problem[]) io.stderr.write(`${formatProblem(p)}\n`);
        return 1;
      }
      throw error;
    }
    io.stdout.write(`Studio at ${studio.url}\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void studio.close().then(done);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
