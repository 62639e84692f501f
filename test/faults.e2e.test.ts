import { createServer } from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './helpers/cli.js';
import { HOUR, NOW } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { freePort, startProcess } from './helpers/processes.js';
import { startSmtp } from './helpers/smtp.js';

const iso = (ms: number) => new Date(ms).toISOString();

function homeWithWebhook(url: string, timeout = '3s') {
  return makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } },
    '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${url}", timeout: "${timeout}" }] }`,
  });
}

describe('receivers that misbehave: the run ends in time, the alert stays pending, the next run delivers', () => {
  it('a receiver that drops the connection in the middle of the request', async () => {
    const dropped: number[] = [];
    const server = createServer((socket) => {
      socket.once('data', () => {
        dropped.push(Date.now());
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as { port: number };
    try {
      const home = homeWithWebhook(`http://127.0.0.1:${port}/hook`);
      const result = await runCli(['check', '--send', '--now', iso(NOW)], { home });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/alert channel hook failed: POST http:\/\/127\.0\.0\.1:\d+\/… failed: .*\(kept pending/);
      expect(dropped).toHaveLength(1);
      const state = JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8'));
      expect(state.channels.hook.told).toEqual({});
      // The receiver is fixed: the next run (after the first backoff) delivers it.
      const sink = await startSink();
      writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook" }] }`);
      expect((await runCli(['check', '--send', '--now', iso(NOW + 15 * 60_000)], { home })).code).toBe(1);
      expect(sink.requests).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('a receiver that refuses the connection', async () => {
    const home = homeWithWebhook(`http://127.0.0.1:${await freePort()}/hook`);
    const result = await runCli(['check', '--send', '--now', iso(NOW)], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/alert channel hook failed: POST http:\/\/127\.0\.0\.1:\d+\/… failed: connect ECONNREFUSED/);
    expect(JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8')).channels.hook).toMatchObject({ failures: 1, told: {} });
  });

  it('a slow receiver that answers within the timeout is a delivery', async () => {
    const sink = await startSink(() => 200);
    const slow = createServer((socket) => {
      const upstream = socket;
      upstream.once('data', () => setTimeout(() => upstream.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'), 1500));
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
    const { port } = slow.address() as { port: number };
    try {
      const home = homeWithWebhook(`http://127.0.0.1:${port}/hook`, '5s');
      const started = Date.now();
      expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
      expect(Date.now() - started).toBeGreaterThan(1400);
      const state = JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8'));
      expect(Object.keys(state.channels.hook.told)).toEqual(['main/anthropic:default']);
      expect(sink.requests).toHaveLength(0);
    } finally {
      slow.close();
    }
  });
});

type SmtpMisbehaviour = 'silent' | 'reject-sender' | 'drop-mid-body';

/** A raw SMTP server that misbehaves in one precise way (smtp-server cannot be made to). */
async function misbehavingSmtp(how: SmtpMisbehaviour) {
  const server = createServer((socket) => {
    if (how === 'silent') return; // accepts, never greets
    socket.write('220 broken.example ESMTP\r\n');
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      if (inData) return void socket.destroy(); // the body has started: cut it off
      for (const line of chunk.toString().split('\r\n').filter(Boolean)) {
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 broken.example\r\n');
        else if (verb === 'MAIL') socket.write(how === 'reject-sender' ? '554 5.7.1 sender rejected by policy\r\n' : '250 ok\r\n');
        else if (verb === 'RCPT') socket.write('250 ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

const mailChannel = (port: number, timeout = '2s') =>
  `{ channels: [{ name: "mail", type: "email", timeout: "${timeout}", smtp: { host: "127.0.0.1", port: ${port} }, from: "a@example.com", to: ["b@example.com"] }] }`;

describe('SMTP servers that misbehave: the run ends in time, the alert stays pending, the next run delivers', () => {
  const cases: [SmtpMisbehaviour, RegExp][] = [
    ['silent', /SMTP 127\.0\.0\.1:\d+ failed: not delivered within 2s/],
    ['reject-sender', /SMTP 127\.0\.0\.1:\d+ failed: EENVELOPE .*554 5\.7\.1 sender rejected by policy/],
    ['drop-mid-body', /SMTP 127\.0\.0\.1:\d+ failed: .*(Connection closed|ECONNRESET|EPIPE|unexpectedly)/i],
  ];
  for (const [how, message] of cases) {
    it(`a server that is ${how.replace(/-/g, ' ')}`, async () => {
      const broken = await misbehavingSmtp(how);
      try {
        const home = makeHome({
          [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } },
          '.config/authwatch/config.json5': mailChannel(broken.port),
        });
        const started = Date.now();
        const result = await runCli(['check', '--send', '--now', iso(NOW)], { home });
        expect(Date.now() - started).toBeLessThan(8_000);
        expect(result.code).toBe(3);
        expect(result.stderr).toMatch(message);
        expect(JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8')).channels.mail.told).toEqual({});

        const smtp = await startSmtp();
        writeFileSync(join(home, '.config/authwatch/config.json5'), mailChannel(smtp.port));
        expect((await runCli(['check', '--send', '--now', iso(NOW + 15 * 60_000)], { home })).code).toBe(1);
        expect(smtp.received).toHaveLength(1);
        expect(smtp.received[0]!.mail.subject).toMatch(/EXPIRED anthropic:default/);
      } finally {
        broken.close();
      }
    });
  }

  it('a slow server that answers within the timeout is a delivery', async () => {
    const smtp = await startSmtp({ delayMs: 1_500 });
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } },
      '.config/authwatch/config.json5': mailChannel(smtp.port, '5s'),
    });
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    expect(smtp.received).toHaveLength(1);
  });
});

/** Whether this machine lets us mount a private tmpfs (root, or user namespaces allowed). */
function canMountPrivately(): boolean {
  return spawnSync('unshare', ['--mount', '--map-root-user', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' }).status === 0;
}

describe('a state directory that cannot be written', () => {
  it('that cannot be created: a clear error and exit 3, no stack trace', async () => {
    const sink = await startSink();
    const home = homeWithWebhook(`${sink.url}/hook`);
    // /proc takes no new directories, even from root (and Node's own mkdir -p spins there).
    const result = await runCli(['check', '--send', '--now', iso(NOW)], { home, env: { STATE_DIRECTORY: '/proc/authwatch-state' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/authwatch: cannot create the state directory \/proc\/authwatch-state: no such file or directory/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.runIf(canMountPrivately())('on a full disk, then read-only: exit 3 with the reason, the textfile still written elsewhere, the old state intact', async () => {
    const sink = await startSink();
    const home = homeWithWebhook(`${sink.url}/hook`);
    const out = mkdtempSync(join(tmpdir(), 'authwatch-disk-'));
    const state = join(out, 'state');
    mkdirSync(state);
    const store = join(home, agentStore('main'));
    // One private mount namespace: a 64 KiB tmpfs as the state directory, gone when the script ends.
    const script = `
      set -u
      mount -t tmpfs -o size=64k,mode=0700 tmpfs "$STATE_DIRECTORY"
      run() { "$NODE" "$CLI" check --send --now "$1" --textfile "$OUT/authwatch.prom" >/dev/null 2>"$OUT/$2.err"; echo $? >"$OUT/$2.code"; }
      run ${iso(NOW)} first
      cp "$STATE_DIRECTORY/state.json" "$OUT/state.before"
      dd if=/dev/zero of="$STATE_DIRECTORY/filler" bs=4k 2>/dev/null
      cp "$OUT/second-store.json" "$STORE"
      run ${iso(NOW + 60_000)} full
      ls -a "$STATE_DIRECTORY" >"$OUT/full.ls"; cp "$STATE_DIRECTORY/state.json" "$OUT/state.full"
      rm "$STATE_DIRECTORY/filler"; mount -o remount,ro "$STATE_DIRECTORY"
      run ${iso(NOW + 120_000)} readonly
      cp "$STATE_DIRECTORY/state.json" "$OUT/state.readonly"
      mount -o remount,rw "$STATE_DIRECTORY"
      run ${iso(NOW + 180_000)} recovered
      cp "$STATE_DIRECTORY/state.json" "$OUT/state.recovered"
    `;
    writeFileSync(join(out, 'second-store.json'), JSON.stringify({ version: 1, profiles: {
      'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR },
      'openai:default': { type: 'token', provider: 'openai', token: 'u', expires: NOW - HOUR },
    } }));
    // Asynchronously: the webhook sink lives in this process and must keep answering.
    const run = startProcess('unshare', ['--mount', '--map-root-user', 'bash', '-c', script], {
      PATH: process.env.PATH, HOME: home, TZ: 'UTC', STATE_DIRECTORY: state, NODE: process.execPath, CLI: cliPath, OUT: out, STORE: store,
    });
    expect(await run.exited, run.output.stderr).toBe(0);
    const read = (name: string) => readFileSync(join(out, name), 'utf8');

    expect(read('first.code').trim()).toBe('1');

    // Full disk: a clear reason, exit 3, the state on disk still the old whole file, no temp
    // file left, and the metrics written all the same.
    expect(read('full.code').trim()).toBe('3');
    expect(read('full.err')).toMatch(/authwatch: (cannot save the alert state|cannot lock) .*: no space left on device\n$/);
    expect(read('full.err')).not.toMatch(/\n\s+at /);
    expect(read('state.full')).toBe(read('state.before'));
    expect(read('full.ls').split('\n').filter((name) => name.endsWith('.tmp') || name === 'state.lock')).toEqual([]);
    expect(read('authwatch.prom')).toMatch(/authwatch_credential_status\{[^}]*profile="openai:default"[^}]*status="expired"\} 1/);

    // Read-only: the same.
    expect(read('readonly.code').trim()).toBe('3');
    expect(read('readonly.err')).toMatch(/authwatch: (cannot save the alert state|cannot lock) .*: read-only file system\n$/);
    expect(read('state.readonly')).toBe(read('state.before'));

    // Writable again: the notice owed since the disk filled goes out, once.
    expect(read('recovered.code').trim()).toBe('1');
    expect(sink.requests).toHaveLength(2);
    expect(sink.requests[1]!.body).toContain('openai:default');
    expect(Object.keys(JSON.parse(read('state.recovered')).channels.hook.told).sort()).toEqual(['main/anthropic:default', 'main/openai:default']);
  });
});
