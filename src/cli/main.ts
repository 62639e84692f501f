#!/usr/bin/env node
// The `authwatch` command: a small launcher, built on its own, that turns on Node's compile
// cache before it loads the bundled program (dist/cli/authwatch.js), so a check — which a timer
// runs every 15 minutes — starts with the code compiled by earlier runs.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { compileCacheDir, useCompileCache } from './compile-cache.js';

const cacheDir = compileCacheDir(process.env, process.env.HOME || homedir());
if (cacheDir !== undefined) useCompileCache(cacheDir);
const program = require(join(__dirname, 'authwatch.js')) as typeof import('./run.js');
void program.run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
