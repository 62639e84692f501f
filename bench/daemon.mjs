// 3. Daemon scrape under load and 4. daemon memory over many checks.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cli, envFor, makeHome, record } from './lib.mjs';

const daemonNodeFlags = ['--max-semi-space-size=1', '--max-old-space-size=64'];

async function startDaemon(home, config) {
  mkdirSync(join(home, '.config/authwatch'), { recursive: true });
  writeFileSync(join(home, '.config/authwatch/config.json5'), config);
  // The same V8 flags the installed systemd units start the daemon with.
  const child = spawn(process.execPath, [...daemonNodeFlags, cli, 'daemon', '--listen', '127.0.0.1:0', '--log-level', 'info'], { env: envFor(home), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
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
  return { child, base, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
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
    record('daemon scrape', `/metrics, 1,000 profiles: requests/s (${seconds}s, 10 connections)`, rps.toFixed(0), '>= 1000', rps >= 1000);
    record('daemon scrape', 'latency p50', `${result.latency.p50} ms`, '', null);
    record('daemon scrape', 'latency p99', `${result.latency.p99} ms`, '<= 20 ms', result.latency.p99 <= 20);
    record('daemon scrape', 'errors / non-2xx', `${result.errors} / ${result.non2xx}`, '0 / 0', result.errors === 0 && result.non2xx === 0);
  } finally {
    await daemon.stop();
  }
}

export async function daemonMemory({ checks }) {
  const home = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  // A 1 ms scrape TTL makes every scrape run a full check: `checks` scrapes = `checks` checks.
  const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" } }');
  try {
    const afterStart = await rssBytes(daemon);
    let at1000 = 0;
    let atEnd = 0;
    // On to twice the count, to show where RSS settles (V8 sizes its heap over the first thousands).
    for (let i = 1; i <= 2 * checks; i++) {
      await fetch(`${daemon.base}/status`).then((r) => r.arrayBuffer());
      if (i === 1000) at1000 = await rssBytes(daemon);
      if (i === checks) atEnd = await rssBytes(daemon);
    }
    const atDouble = await rssBytes(daemon);
    const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
    record('memory', 'daemon RSS after start', `${mb(afterStart)} MB`, '<= 80 MB', afterStart <= 80 * 2 ** 20);
    record('memory', 'daemon RSS after 1,000 checks', `${mb(at1000)} MB`, '<= 80 MB', at1000 <= 80 * 2 ** 20);
    record('memory', `daemon RSS after ${checks.toLocaleString('en')} checks`, `${mb(atEnd)} MB`, '<= 80 MB', atEnd <= 80 * 2 ** 20);
    const growth = atEnd - at1000;
    record('memory', `growth between 1,000 and ${checks.toLocaleString('en')} checks`, `${mb(growth)} MB`, '~0 (< 5 MB)', growth < 5 * 2 ** 20);
    record('memory', `daemon RSS after ${(2 * checks).toLocaleString('en')} checks (growth from ${checks.toLocaleString('en')})`, `${mb(atDouble)} MB (${mb(atDouble - atEnd)} MB)`, '', null);
  } finally {
    await daemon.stop();
  }
}
