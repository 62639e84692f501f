#!/usr/bin/env node
// The `authwatch` command: a small launcher, built on its own, that loads the bundled program
// (dist/cli/authwatch.js) — for `check`, which a timer runs every 15 minutes, with the code
// compiled by earlier checks.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, compileCacheDir, requireWithCodeCache } from './compile-cache.js';

/** A hash of the bundle, put here by scripts/build.mjs: a rebuilt bundle never meets an old cache. */
declare const AUTHWATCH_BUILD_ID: string;

const argv = process.argv.slice(2);
const bundle = join(__dirname, 'authwatch.js');
const cacheDir = compileCacheDir(process.env, process.env.HOME || homedir());
const cacheFile = cacheDir !== undefined && argv[0] === 'check' ? codeCacheFile(cacheDir, AUTHWATCH_BUILD_ID) : undefined;
const program = (cacheFile === undefined ? require(bundle) : requireWithCodeCache(bundle, cacheFile)) as typeof import('./run.js');
void program.run(argv).then((code) => {
  process.exitCode = code;
});
