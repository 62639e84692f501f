#!/usr/bin/env node
// The `authwatch` command: a small launcher, built on its own, that loads the bundled program
// (dist/cli/authwatch.js) with its compiled code cached between runs. authwatch runs every 15
// minutes on phones, and compiling the bundle was the largest part of its start-up.
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, compileCacheDir, requireWithCodeCache } from './compile-cache.js';

/** A hash of the bundle, put here by scripts/build.mjs: a rebuilt bundle never meets an old cache. */
declare const AUTHWATCH_BUILD_ID: string;

type Program = typeof import('./run.js');

const argv = process.argv.slice(2);
const bundle = join(__dirname, 'authwatch.js');
const cacheDir = compileCacheDir(process.env, process.env.HOME || homedir());

function loadProgram(): Program {
  if (cacheDir === undefined) return require(bundle) as Program;
  // `check` runs every 15 minutes: it keeps its own cache, written after the run so it holds
  // every function the check compiled (on Node 24 a check takes 40 ms so, 48 ms with Node's
  // own cache, which stops at what was compiled before the run).
  if (argv[0] === 'check') return requireWithCodeCache(bundle, codeCacheFile(cacheDir, AUTHWATCH_BUILD_ID)) as Program;
  // Other commands are rare: Node 22.1+ (Termux ships 24) caches them itself; Node 20 cannot.
  (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(cacheDir);
  return require(bundle) as Program;
}

const program = loadProgram();
void program.run(argv).then((code) => {
  process.exitCode = code;
  // A check has nothing left to do once its output is with the kernel; waiting for the event
  // loop to drain would only let V8 finish a major GC (≈ 8 ms on a 10,000-profile host).
  // 'exit' listeners (the code cache) still run.
  if (argv[0] === 'check' && program.outputSettled()) process.exit();
});
