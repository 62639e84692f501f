import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach } from 'vitest';

const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

interface ReceivedMail {
  mail: ParsedMail;
  raw: string;
  envelopeTo: string[];
  user: string | undefined;
}

/** A real SMTP server on a loopback port that keeps every message it receives, parsed (and answers after `delayMs`). */
export async function startSmtp(options: { user?: string; password?: string; delayMs?: number } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: options.user === undefined,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString();
        received.push({ mail: await simpleParser(raw), raw, envelopeTo: session.envelope.rcptTo.map((r) => r.address), user: session.user as string | undefined });
        // A slow server: the answer to the message comes after a delay.
        setTimeout(callback, options.delayMs ?? 0);
      });
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * A hostile SMTP server that never finishes: 'lines' sends a greeting of endless `220-` lines,
 * one a second; 'bytes' greets properly and answers EHLO one byte a second, forever.
 */
export async function startDrippingSmtp(kind: 'lines' | 'bytes') {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    if (kind === 'lines') {
      timer = setInterval(() => socket.write('220-still greeting\r\n'), 1000);
      return;
    }
    socket.write('220 drip.example ESMTP\r\n');
    socket.once('data', () => {
      const answer = '250-drip.example\r\n'.repeat(1000);
      let at = 0;
      timer = setInterval(() => socket.write(answer[at++ % answer.length]!), 1000);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  hostile.push({ server, sockets });
  return { port: (server.address() as { port: number }).port, connections: () => sockets.size };
}

const hostile: { server: NetServer; sockets: Set<Socket> }[] = [];
afterEach(() => {
  for (const { server, sockets } of hostile.splice(0)) {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});
