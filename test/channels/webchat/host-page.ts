/** The NGO's page the widget tests embed the widget in: another origin than the widget (localhost, not 127.0.0.1), no CSP. */
import { createServer } from 'node:http';
import { closeServer, listen } from '../../helpers/net.js';

/** A page with the widget's script tag (`attributes` for the page asked, e.g. `data-open="true"`); /weather is its exit page. */
export async function startHostPage(widgetOrigin: string, attributes: (path: string) => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/weather')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Weather</title><p>Sunny.</p>');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html><head><title>NGO</title></head><body><p>NGO page</p><script src="${widgetOrigin}/widget.js" ${attributes(req.url ?? '/')}></script></body></html>`,
      );
  });
  const url = (await listen(server)).replace('127.0.0.1', 'localhost');
  return { url, close: () => closeServer(server) };
}
