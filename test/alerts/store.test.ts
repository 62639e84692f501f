import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockState } from '../../src/alerts/store.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'authwatch-lock-'));

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('the state lock', () => {
  it('is exclusive while held, and free again once released', async () => {
    const dir = freshDir();
    const release = await lockState(dir, 0);
    expect(readFileSync(join(dir, 'state.lock'), 'utf8')).toBe(String(process.pid));
    expect(await lockState(dir, 100)).toBeNull();
    await release!();
    expect(existsSync(join(dir, 'state.lock'))).toBe(false);
    expect(await lockState(dir, 0)).not.toBeNull();
  });

  it('is taken over from a process that died holding it', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'state.lock'), String(deadPid()));
    expect(await lockState(dir, 0)).not.toBeNull();
    expect(readFileSync(join(dir, 'state.lock'), 'utf8')).toBe(String(process.pid));
  });

  it('left empty by a run killed between creating and writing it: waited for briefly, then taken over', async () => {
    const dir = freshDir();
    const lock = join(dir, 'state.lock');
    writeFileSync(lock, '');
    expect(await lockState(dir, 100)).toBeNull(); // young: its writer may still be at work
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    expect(await lockState(dir, 0)).not.toBeNull();
  });
});
