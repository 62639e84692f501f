#!/usr/bin/env node
// The `authwatch` command: a small launcher, built on its own, that loads the bundled program
// (dist/cli/authwatch.js) with its compiled code cached between runs. authwatch runs every 15
// minutes on phones, and compiling the bundle is the largest part of its start-up.
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, compileCacheDir, requireWithCodeCache } from './compile-cache.js';

/** A hash of the bundle, put here by scripts/build.mjs: a rebuilt bundle never meets an old cache. */
declare const AUTHWATCH_BUILD_ID: string;

type Program = { run(argv: string[]): Promise<number> };

const argv = process.argv.slice(2);
const bundle = join(__dirname, 'authwatch.js');

function loadProgram(): Program {
  const cacheDir = compileCacheDir(process.env, process.env.HOME || homedir());
  if (cacheDir === undefined) return require(bundle) as Program;
  // Node 22.1+ (Termux ships 24) keeps compiled code itself; Node 20 has no such function.
  const { enableCompileCache } = module as { enableCompileCache?: (dir: string) => unknown };
  if (enableCompileCache) {
    enableCompileCache(cacheDir);
    return require(bundle) as Program;
  }
  // Only `check` runs often enough to matter; one cache per command keeps each cache complete.
  if (argv[0] !== 'check') return require(bundle) as Program;
  return requireWithCodeCache(bundle, codeCacheFile(cacheDir, AUTHWATCH_BUILD_ID)) as Program;
}

void loadProgram()
  .run(argv)
  .then((code) => {
    process.exitCode = code;
  });
