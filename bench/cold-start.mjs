// 1. Cold start: `authwatch check` on a typical home vs `node -e 0`, whole processes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkCommand, cli, envFor, floorCommand, makeHome, ms, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

const minimalReader = fileURLToPath(new URL('minimal-reader.cjs', import.meta.url));
const loadedBuiltins = fileURLToPath(new URL('loaded-builtins.cjs', import.meta.url));

export function coldStart({ runs }) {
  const home = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  const { a, b, ratio } = timePair(checkCommand(home), floorCommand, runs);
  record('cold start', `check (median of ${runs})`, ms(a), '', null);
  record('cold start', 'node -e 0 (floor)', ms(b), '', null);
  record('cold start', 'ratio check / floor', `${ratio.toFixed(2)}x`, ...judged('typicalRatio', ratio));
  // What keeps it there: the modules it loads. node:crypto, the streams, net and tty are loaded
  // only by a run that needs them (a fingerprint read, a terminal, a socket).
  const probe = spawnSync(process.execPath, ['-r', loadedBuiltins, cli, 'check'], { env: envFor(home), stdio: ['ignore', 'ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const loaded = probe.output[3].split(' ').filter(Boolean);
  record('cold start', 'built-in modules the check loads beyond node -e 0', loaded.join(' ') || 'none', ...judged('typicalBuiltins', loaded));
  // What the target leaves: the same reads and a printout with no checking at all.
  const minimal = timePair([process.execPath, [minimalReader], envFor(home)], floorCommand, runs);
  record('cold start', 'bare reader (same files, JSON.parse, print; bench/minimal-reader.cjs)', ms(minimal.a), '', null);
  record('cold start', 'ratio bare reader / floor', `${minimal.ratio.toFixed(2)}x`, '', null);
  return { check: a, floor: b };
}
