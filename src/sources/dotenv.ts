import type * as Dotenv from 'dotenv';
import { readCredentialFile } from '../core/files.js';

/** OpenClaw drops every key outside this pattern after parsing (its `normalizeEnvVarKey`, portable). */
const portableKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** OpenClaw's gateway skips a .env file larger than this (its `MAX_DOTENV_FILE_BYTES`). */
const gatewayMaxBytes = 1_048_576;
/** A whitespace run longer than this with several line breaks in it is shortened before parsing. */
const longRun = 4096;
/** The characters `^` and `$` of a multiline pattern stop at. */
const isLineBreak = (code: number) => code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;

/**
 * dotenv's line pattern retries at every line start inside a run of blank lines and rescans
 * the whole run each time: blank lines take quadratic time (the gateway's own parse of a big
 * run stalls it). Such a run behaves like its first and
 * last line with one empty line between — every key and unquoted value comes out the same —
 * so a long one is cut to that. Only a quoted value holding such a run (thousands of blank
 * lines) would read shorter.
 */
function shortenBlankRuns(text: string): string {
  return text.replace(/\s+/g, (run) => {
    if (run.length <= longRun) return run;
    let first = 0;
    while (first < run.length && !isLineBreak(run.charCodeAt(first))) first++;
    let last = run.length - 1;
    while (last > first && !isLineBreak(run.charCodeAt(last))) last--;
    return last > first ? run.slice(0, first + 1) + run.slice(last) : run;
  });
}

/**
 * `<stateDir>/.env` as OpenClaw's gateway reads it: the `dotenv` package's `parse` (never
 * `config`, which would change process.env), then OpenClaw's filter of portable key names.
 */
export async function parseDotenv(text: string): Promise<Map<string, string>> {
  const { parse } = (await import('dotenv')) as typeof Dotenv;
  const values = new Map<string, string>();
  for (const [rawKey, value] of Object.entries(parse(shortenBlankRuns(text.replace(/\r\n?/g, '\n'))))) {
    const key = rawKey.trim();
    if (portableKey.test(key)) values.set(key, value);
  }
  return values;
}

type DotenvRead = { kind: 'absent' } | { kind: 'error'; message: string } | { kind: 'ok'; values: Map<string, string> };

/**
 * `<stateDir>/.env` read as the gateway reads it: with the credential-file safety (size cap,
 * no FIFO), an empty file is just no keys, and a file over the gateway's limit is an error
 * (the gateway skips it whole, so none of its keys count).
 */
export async function readGatewayDotenv(path: string): Promise<DotenvRead> {
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') return file;
  if (file.kind === 'error') return file.message === 'empty file' ? { kind: 'ok', values: new Map() } : file;
  if (Buffer.byteLength(file.text) > gatewayMaxBytes) {
    return { kind: 'error', message: "over the 1 MB OpenClaw's gateway reads from a .env file: it skips the whole file (shrink it)" };
  }
  return { kind: 'ok', values: await parseDotenv(file.text) };
}
