// 1. Cold start: `authwatch check` on a typical home vs `node -e 0`, whole processes.
import { checkCommand, floorCommand, makeHome, ms, record, timePair } from './lib.mjs';

export function coldStart({ runs }) {
  const home = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  const { a, b, ratio } = timePair(checkCommand(home), floorCommand, runs);
  record('cold start', `check (median of ${runs})`, ms(a), '', null);
  record('cold start', 'node -e 0 (floor)', ms(b), '', null);
  record('cold start', 'ratio check / floor', `${ratio.toFixed(2)}x`, '<= 1.5x', ratio <= 1.5);
  return { check: a, floor: b };
}
