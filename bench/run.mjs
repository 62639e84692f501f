// `npm run bench`: every benchmark, then one table with each figure, its target and PASS/MISS.
import { availableParallelism, cpus, totalmem } from 'node:os';
import { coldStart } from './cold-start.mjs';
import { printTable } from './lib.mjs';
import { scaling } from './scaling.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 15);
console.error(`authwatch benchmarks — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
coldStart({ runs });
scaling({ runs: Math.max(5, Math.round(runs / 3)) });
printTable();
