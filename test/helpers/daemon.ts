import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from './cli.js';
import { childPreload } from './link-denied.js';
import { startProcess, waitFor } from './processes.js';

export const configPath = (home: string) => join(home, '.config/authwatch/config.json5');

/** The Node flags the systemd units start the daemon with, read from the unit. */
export const unitNodeFlags = (): string[] =>
  /^ExecStart=@NODE@ (.*) @ENTRY@ daemon$/m.exec(readFileSync(new URL('../../deploy/systemd/system/authwatch.service.in', import.meta.url), 'utf8'))![1]!.split(' ');

/** The port a started daemon says it listens on, once it says so. */
export function listeningPort(daemon: { output: { stderr: string } }): Promise<number> {
  return waitFor('the daemon to listen', () => {
    const line = daemon.output.stderr.split('\n').find((l) => l.includes('"daemon listening"'));
    return line ? (JSON.parse(line).port as number) : undefined;
  });
}

/** Starts `authwatch daemon` on a free loopback port and waits for its first check. */
export async function startDaemon(home: string, config = '{ schedule: "0 0 1 1 *" }', authorization?: string, nodeFlags: string[] = []) {
  writeFileSync(configPath(home), config);
  const daemon = startProcess(process.execPath, [...nodeFlags, cliPath, 'daemon', '--listen', '127.0.0.1:0', '--log-level', 'info'], {
    PATH: process.env.PATH,
    HOME: home,
    TZ: 'UTC',
    ...childPreload(),
  });
  const port = await listeningPort(daemon);
  const base = `http://127.0.0.1:${port}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
  const ready: Record<string, string> = authorization ? { authorization } : {};
  await waitFor('the first check', async () => ((await get('/healthz', ready)).status === 200 ? true : undefined));
  return { ...daemon, base, get };
}
