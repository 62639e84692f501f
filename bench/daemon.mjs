// 3. Daemon scrape under load, with a channel that never answers, and 4. daemon memory over many checks.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cli, envFor, makeHome, record } from './lib.mjs';
import { judged } from './targets.mjs';

// The daemon as the systemd units start it: their Node flags, read from the unit.
const daemonNodeFlags = /^ExecStart=@NODE@ (.*) @ENTRY@ daemon$/m.exec(readFileSync(new URL('../deploy/systemd/system/authwatch.service.in', import.meta.url), 'utf8'))[1].split(' ');

async function startDaemon(home, config) {
  mkdirSync(join(home, '.config/authwatch'), { recursive: true });
  writeFileSync(join(home, '.config/authwatch/config.json5'), config);
  // The same V8 flags the installed systemd units start the daemon with.
  // debug: a check a scrape starts says "check finished" at info only when a status changed.
  const child = spawn(process.execPath, [...daemonNodeFlags, cli, 'daemon', '--listen', '127.0.0.1:0', '--log-level', 'debug'], { env: envFor(home), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  // Completed checks, counted from the log: a scrape starts a check but does not wait for it.
  let checks = 0;
  let onCheck = () => {};
  child.stderr.on('data', (chunk) => {
    const text = String(chunk);
    stderr += text;
    const finished = text.split('"check finished"').length - 1;
    if (finished > 0) {
      checks += finished;
      onCheck();
    }
  });
  const nextCheck = () => {
    const seen = checks;
    return new Promise((resolve) => (onCheck = () => checks > seen && resolve()));
  };
  const port = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const line = stderr.split('\n').find((l) => l.includes('"daemon listening"'));
      if (line) {
        clearInterval(timer);
        resolve(JSON.parse(line).port);
      }
      if (child.exitCode !== null) reject(new Error(`daemon exited: ${stderr}`));
    }, 20);
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    base,
    nextCheck,
    checks: () => checks,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
    kill: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGKILL'); }),
  };
}

/**
 * The daemon's resident set as the kernel counts it now. (Not its /metrics: process metrics
 * are cached for a second there, and 1,000 checks take less than that.)
 */
async function rssBytes(daemon) {
  const status = await readFile(`/proc/${daemon.child.pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)[1]) * 1024;
}

export async function daemonScrape({ seconds }) {
  const home = makeHome({ profiles: 1000, agents: 10 });
  // Scrapes within the TTL serve the last check: this measures the HTTP and exposition path.
  const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1h" } }');
  try {
    const result = await autocannon({ url: `${daemon.base}/metrics`, connections: 10, duration: seconds });
    const rps = result.requests.average;
    record('daemon scrape', `/metrics, 1,000 profiles: requests/s (${seconds}s, 10 connections)`, rps.toFixed(0), ...judged('scrapeRps', rps));
    record('daemon scrape', 'latency p50', `${result.latency.p50} ms`, '', null);
    record('daemon scrape', 'latency p99', `${result.latency.p99} ms`, ...judged('scrapeP99Ms', result.latency.p99));
    record('daemon scrape', 'errors / non-2xx', `${result.errors} / ${result.non2xx}`, '0 / 0', result.errors === 0 && result.non2xx === 0);
  } finally {
    await daemon.stop();
  }
}

/**
 * Scrapes while every alert delivery hangs: a receiver that never answers (within the
 * channel's timeout), a check every second and on every scrape.
 */
export async function daemonScrapeHangingChannel({ seconds }) {
  let received = 0;
  const receiver = createServer((request) => request.resume().on('end', () => received++));
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${receiver.address().port}/`;
  const home = makeHome({ profiles: 100, agents: 2 });
  // Refreshable and long-lived tokens need no notice: one that expires in 3 hours does.
  const store = join(home, '.openclaw/agents/agent-0/agent/auth-profiles.json');
  const profiles = JSON.parse(await readFile(store, 'utf8'));
  profiles.profiles['anthropic:soon'] = { type: 'token', provider: 'anthropic', token: 'bench-not-a-secret', expires: Date.now() + 3 * 3_600_000 };
  writeFileSync(store, JSON.stringify(profiles));
  const daemon = await startDaemon(
    home,
    `{ schedule: "* * * * * *", daemon: { scrapeTtl: "1s" }, channels: [{ name: "silent", type: "webhook", url: "${hook}", timeout: "${seconds + 60}s" }] }`,
  );
  try {
    while (received === 0) await new Promise((r) => setTimeout(r, 20));
    const checksBefore = daemon.checks();
    const result = await autocannon({ url: `${daemon.base}/metrics`, connections: 10, duration: seconds });
    const checks = daemon.checks() - checksBefore;
    record('daemon scrape, silent channel', `/metrics while a delivery hangs: latency p99 (${seconds}s, 10 connections)`, `${result.latency.p99} ms`, ...judged('scrapeP99HangingChannelMs', result.latency.p99));
    record('daemon scrape, silent channel', 'requests/s; checks meanwhile; deliveries begun', `${result.requests.average.toFixed(0)}; ${checks}; ${received}`, 'checks go on; 1 delivery', checks >= seconds - 1 && received === 1);
    record('daemon scrape, silent channel', 'errors / non-2xx', `${result.errors} / ${result.non2xx}`, '0 / 0', result.errors === 0 && result.non2xx === 0);
  } finally {
    // SIGTERM would wait for the hanging delivery to time out.
    await daemon.kill();
    receiver.closeAllConnections();
    receiver.close();
  }
}

/**
 * Daemon RSS over `checks` checks on `home`, each forced by a scrape (1 ms scrape TTL) and
 * waited for. Flat: under 5 MB from the 100th check to the last (the tolerance the bench gave
 * "~0" before; the sql.js reader grew by about 80 MB over 1,000 checks).
 */
export async function daemonMemory({ checks, home, name }) {
  const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" } }');
  const settled = 100;
  try {
    const afterStart = await rssBytes(daemon);
    let atSettled = 0;
    const started = process.hrtime.bigint();
    for (let i = 1; i <= checks; i++) {
      // A scrape within the TTL of the last check's end starts none: scrape again until one ran.
      const checked = daemon.nextCheck();
      let done = false;
      checked.then(() => (done = true));
      while (!done) {
        await fetch(`${daemon.base}/status`).then((r) => r.arrayBuffer());
        await Promise.race([checked, new Promise((r) => setTimeout(r, 5))]);
      }
      if (i === settled) atSettled = await rssBytes(daemon);
    }
    const perCheck = Number(process.hrtime.bigint() - started) / 1e6 / checks;
    const atEnd = await rssBytes(daemon);
    const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    const growth = atEnd - atSettled;
    const n = checks.toLocaleString('en');
    record(name, 'daemon RSS after start', mb(afterStart), ...judged('daemonRssBytes', afterStart));
    record(name, `daemon RSS after ${settled} / ${n} checks (${perCheck.toFixed(1)} ms a check, scrape included)`, `${mb(atSettled)} / ${mb(atEnd)}`, ...judged('daemonRssBytes', atEnd));
    record(name, `growth from check ${settled} to ${n}`, `${mb(growth)} (${(growth / 1024 / (checks - settled)).toFixed(1)} KB/check)`, ...judged('daemonRssGrowthBytes', growth));
  } finally {
    await daemon.stop();
  }
}
