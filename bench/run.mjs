// `npm run bench`: every benchmark, then one table with each figure, its target and PASS/MISS.
// BENCH_QUICK=1 shortens the runs (for a smoke test; the figures are then only indicative).
import { availableParallelism, cpus, totalmem } from 'node:os';
import { alertRun } from './alert-run.mjs';
import { coldStart } from './cold-start.mjs';
import { daemonMemory, daemonScrape, daemonScrapeHangingChannel } from './daemon.mjs';
import { printTable } from './lib.mjs';
import { scaling } from './scaling.mjs';

const quick = process.env.BENCH_QUICK === '1';
const runs = Number(process.env.BENCH_RUNS ?? (quick ? 5 : 31));
console.error(`authwatch benchmarks — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
coldStart({ runs });
scaling({ runs: Math.max(5, Math.round(runs / 3)) });
await daemonScrape({ seconds: quick ? 3 : 10 });
await daemonScrapeHangingChannel({ seconds: quick ? 3 : 10 });
await daemonMemory({ checks: quick ? 2_000 : 10_000 });
alertRun({ runs });
printTable();
