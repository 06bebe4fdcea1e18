/** Loopback servers for tests: listen on a free 127.0.0.1 port, close without waiting for idle sockets. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a node:http server on a free 127.0.0.1 port and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a node:http server, cutting keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}
