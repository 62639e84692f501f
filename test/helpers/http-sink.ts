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

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A receiver that refuses (`status`) with everything it was sent: URL, headers (Authorization decoded too) and body. */
export async function startEchoSink(status = 500) {
  const requests: Captured[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const bare = request.headers.authorization?.replace(/^\S+ /, '');
      const echoed = [request.url, bare, basic && Buffer.from(basic, 'base64').toString(), JSON.stringify(request.headers), body].join(' ');
      response.writeHead(status, { 'content-type': 'text/plain' }).end(echoed);
    });
  });
  return { url: await listen(server), requests };
}

/**
 * Hostile receivers: 'drip' answers 500 at once and then sends its body one byte a second,
 * forever; 'silent' reads the request and never answers.
 */
export async function startHostileSink(kind: 'drip' | 'silent') {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      if (kind === 'silent') return;
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.flushHeaders();
      const timer = setInterval(() => response.write('x'), 1000);
      response.on('close', () => clearInterval(timer));
    });
  });
  return { url: await listen(server), requests: () => requests };
}
