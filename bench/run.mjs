// `npm run bench`: every benchmark on the Node that runs this file (its children use
// process.execPath: `node bench/run.mjs`, or `/path/to/node24 bench/run.mjs`), then one table
// with each figure, its target and PASS/MISS.
// BENCH_QUICK=1 shortens the runs (a smoke test; the figures are then only indicative);
// BENCH_RUNS=N sets the runs of the ratio figures; BENCH_BIG_DB=1 adds a 200 MB state DB and a
// 300 MB WAL (a few minutes more).
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { alertRun } from './alert-run.mjs';
import { coldStart } from './cold-start.mjs';
import { daemonMemory, daemonScrape, daemonScrapeHangingChannel } from './daemon.mjs';
import { makeHome, printTable } from './lib.mjs';
import { liveReuse } from './live.mjs';
import { openclawHome } from './openclaw-db.mjs';
import { scaling } from './scaling.mjs';

const quick = process.env.BENCH_QUICK === '1';
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 5 : 31));
const daemonChecks = quick ? 200 : 1_000;
const started = Date.now();
console.error(`authwatch benchmarks — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
coldStart({ runs });
alertRun({ runs });
scaling({ runs: Math.max(5, Math.round(runs / 3)) });
await openclawHome({ runs: Math.max(5, Math.round(runs / 2)), daemonChecks, daemonMemory });
await liveReuse({ runs });
await daemonScrape({ seconds: quick ? 3 : 10 });
await daemonScrapeHangingChannel({ seconds: quick ? 3 : 10 });
await daemonMemory({ checks: daemonChecks, home: makeHome({ profiles: 6, agents: 1, cliLogins: true }), name: 'typical home, daemon' });
printTable();
console.log(`node ${process.version}; load at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
