import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from './helpers/clock.js';
import { startDaemon, unitNodeFlags } from './helpers/daemon.js';
import { agentStore, makeHome } from './helpers/home.js';

/** Clients are scaled to what the daemon answers here (a busy machine gets fewer), up to this. */
const MAX_CLIENTS = 200;
const MIN_CLIENTS = 20;
const SECONDS = 30;
const PROFILES = 200;
const now = Date.now();

function store(changedExpiry: number) {
  const profiles: Record<string, unknown> = { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: changedExpiry } };
  for (let i = 0; i < PROFILES; i++) profiles[`p${i}:default`] = { type: 'token', provider: `p${i}`, token: `t${i}`, expires: now + (i + 2) * DAY };
  return JSON.stringify({ version: 1, profiles });
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

let retried = 0;

/**
 * One GET on a keep-alive agent; resolves to the status and the whole body. A request on a
 * reused connection that the server closed as idle at that very moment (a race every
 * keep-alive client has; "socket hang up" on a busy machine) is sent once more on a new
 * connection, as Node's documentation advises — and counted.
 */
async function scrape(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  try {
    return await scrapeOnce(agent, url);
  } catch (error) {
    if (!(error as { reusedSocket?: boolean }).reusedSocket || (error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
    retried++;
    return scrapeOnce(agent, url);
  }
}

function scrapeOnce(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
  });
}

describe('the daemon under load', () => {
  it(`${MIN_CLIENTS}–${MAX_CLIENTS} concurrent /metrics clients for ${SECONDS}s while the schedule runs and a file changes: no failed scrape, bounded memory, fresh values`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const home = makeHome({ [agentStore('main')]: store(now + 3 * HOUR), '.config/authwatch/config.json5': '{}' });
    // Flags as the installed units run it; a check every 2 s and a 1 s scrape TTL, so checks
    // (scheduled and scrape-triggered) run all the time under the load.
    const daemon = await startDaemon(home, '{ schedule: "*/2 * * * * *", daemon: { scrapeTtl: "1s" } }', undefined, unitNodeFlags());
    const pid = daemon.child.pid!;
    const url = `${daemon.base}/metrics`;
    const rssBefore = rssMiB(pid);

    // How many scrapes a second the daemon answers here (10 clients, 200 scrapes): as many
    // clients as it serves in about a second each round, so a client waits for its turn for
    // far less than the daemon's 5 s request-header limit (which cut off queued clients as
    // "socket hang up" at load 20+ with 200 clients).
    const warmAgent = new Agent({ keepAlive: true, maxSockets: 10 });
    const warmStarted = Date.now();
    let warmScrapes = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (warmScrapes < 200) {
        warmScrapes++;
        await scrape(warmAgent, url);
      }
    }));
    warmAgent.destroy();
    const rate = (warmScrapes * 1000) / (Date.now() - warmStarted);
    const CLIENTS = Math.max(MIN_CLIENTS, Math.min(MAX_CLIENTS, Math.floor(rate)));

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const deadline = Date.now() + SECONDS * 1000;
    const changed = now + 30 * DAY;
    const changedLine = `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main"} ${Math.floor(changed / 1000)}`;
    let changedAt: number | null = null;
    let seenChangeAt: number | null = null;
    /** Scrapes sent after the change: when, and whether they had the new value. */
    const afterChange: { sentAt: number; fresh: boolean }[] = [];
    const failures: string[] = [];
    let scrapes = 0;
    let peakRss = rssBefore;

    const client = async () => {
      while (Date.now() < deadline) {
        const sentAt = Date.now();
        try {
          const { status, body } = await scrape(agent, url);
          scrapes++;
          if (status !== 200 || !body.includes('authwatch_last_run_success 1')) failures.push(`status ${status}, ${body.length} bytes`);
          else if (changedAt !== null && sentAt > changedAt) {
            const fresh = body.includes(changedLine);
            afterChange.push({ sentAt, fresh });
            if (fresh && seenChangeAt === null) seenChangeAt = Date.now();
            // Once seen, the new value must never go back to the old one for a scrape asked later.
            else if (!fresh && seenChangeAt !== null && sentAt > seenChangeAt) failures.push('the old expiry came back after the change');
          }
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(pid))), 500);
    const changer = setTimeout(() => {
      writeFileSync(join(home, agentStore('main')), store(changed));
      changedAt = Date.now();
    }, (SECONDS * 1000) / 3);
    await Promise.all(Array.from({ length: CLIENTS }, client));
    clearInterval(sampler);
    clearTimeout(changer);
    agent.destroy();
    const rssAfter = rssMiB(pid);

    console.info(
      `daemon load: ${CLIENTS} clients (the daemon answered ${Math.round(rate)}/s to 10) x ${SECONDS}s, ${PROFILES + 1} profiles: ${scrapes} scrapes (${Math.round(scrapes / SECONDS)}/s), ` +
        `${failures.length} failed, ${retried} resent after a keep-alive race; change visible after ${seenChangeAt! - changedAt!} ms; RSS ${rssBefore.toFixed(1)} MiB before, ` +
        `${peakRss.toFixed(1)} MiB peak, ${rssAfter.toFixed(1)} MiB after`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // Throughput depends on the machine; what must hold is that every client was served, often.
    expect(scrapes).toBeGreaterThan(CLIENTS * 3);
    expect(seenChangeAt).not.toBeNull();
    // Fresh by events, not by a wall-clock bound: every scrape sent after the first check that
    // started after the change had finished has the new value.
    const checks = daemon.output.stderr.split('\n').filter((line) => line.includes('"check finished"')).map((line) => JSON.parse(line) as { time: number; durationMs: number });
    const firstCheckAfter = checks.find((check) => check.time - check.durationMs > changedAt!);
    expect(firstCheckAfter, 'a check started after the change and finished').toBeDefined();
    expect(afterChange.filter((s) => s.sentAt > firstCheckAfter!.time && !s.fresh)).toEqual([]);
    expect(peakRss).toBeLessThan(150);
    expect(rssAfter - rssBefore).toBeLessThan(50);
    expect(daemon.output.stderr).not.toMatch(/"level":50/);
  });
});
