#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ (Termux ships 24) can keep V8's compiled code between runs, which saves a good
// part of every 15-minute start-up; older Node simply has no such function. It must be on
// before the rest of authwatch is loaded, hence the dynamic import below.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { run } = await import('./run.js');
process.exitCode = await run(process.argv.slice(2));
