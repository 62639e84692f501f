import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach } from 'vitest';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP receiver on loopback that records every request. `behaviour` decides the answer to each:
 * a status code, or 'hang' (never answers) to prove client timeouts.
 */
export async function startSink(behaviour: (request: Captured) => number | 'hang' = () => 200) {
  const requests: Captured[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const captured = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      requests.push(captured);
      const answer = behaviour(captured);
      if (answer === 'hang') return;
      response.writeHead(answer, { 'content-type': 'text/plain' });
      response.end(answer >= 400 ? 'receiver says no' : 'ok');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
}
