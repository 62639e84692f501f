// `npm run bench`: every benchmark on the Node that runs this file (its children use
// process.execPath: `node bench/run.mjs`, or `/path/to/node24 bench/run.mjs`), then one table
// with each figure, its target and PASS/MISS.
// BENCH_QUICK=1 shortens the runs (a smoke test; the figures are then only indicative);
// BENCH_RUNS=N sets the runs of the ratio figures; BENCH_BIG_DB=1 adds a 200 MB state DB and a
// 300 MB WAL (a few minutes more); BENCH_ONLY=cold,scaling,… runs only those; BENCH_CLI=/path/to/dist/cli/main.js measures another build.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { alertRun } from './alert-run.mjs';
import { coldStart } from './cold-start.mjs';
import { daemonMemory, daemonScrape, daemonScrapeHangingChannel } from './daemon.mjs';
import { gatewayCheck } from './gateway.mjs';
import { cli, makeHome, printTable } from './lib.mjs';
import { liveReuse } from './live.mjs';
import { openclawHome } from './openclaw-db.mjs';
import { scaling } from './scaling.mjs';

const quick = process.env.BENCH_QUICK === '1';
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 5 : 31));
const daemonChecks = quick ? 200 : 1_000;
const started = Date.now();
console.error(`authwatch benchmarks (${cli}) — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const benchmarks = {
  cold: () => coldStart({ runs }),
  configured: () => alertRun({ runs }),
  scaling: () => scaling({ runs: Math.max(5, Math.round(runs / 3)) }),
  openclaw: () => openclawHome({ runs: Math.max(5, Math.round(runs / 2)), daemonChecks, daemonMemory }),
  live: () => liveReuse({ runs }),
  scrape: () => daemonScrape({ seconds: quick ? 3 : 10 }),
  silent: () => daemonScrapeHangingChannel({ seconds: quick ? 3 : 10 }),
  gateway: () => gatewayCheck({ runs: Math.max(5, Math.round(runs / 3)) }),
  memory: () => daemonMemory({ checks: daemonChecks, home: makeHome({ profiles: 6, agents: 1, cliLogins: true }), name: 'typical home, daemon' }),
};
const only = process.env.BENCH_ONLY?.split(',') ?? Object.keys(benchmarks);
const unknown = only.filter((name) => !(name in benchmarks));
if (unknown.length > 0) throw new Error(`BENCH_ONLY: no benchmark ${unknown.join(', ')} (there are ${Object.keys(benchmarks).join(', ')})`);
for (const name of only) await benchmarks[name]();
printTable();
console.log(`node ${process.version}; load at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
