// 2. Scaling: time per check above the cold-start floor as profiles and agents grow.
import { checkCommand, floorCommand, makeHome, ms, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

export function scaling({ runs }) {
  const sizes = [10, 100, 1_000, 10_000];
  const agentCounts = [1, 10, 100];
  let linear = true;
  let worstAt10k = 0;
  for (const agents of agentCounts) {
    let previous = null;
    for (const profiles of sizes) {
      const home = makeHome({ profiles, agents });
      const { a, b } = timePair(checkCommand(home), floorCommand, runs);
      const above = Math.max(0, a - b);
      record('scaling', `${profiles} profiles / ${agents} agents, above floor`, ms(above), ...(profiles === 10_000 ? judged('tenThousandAboveFloorMs', above) : ['', null]));
      if (profiles === 10_000) worstAt10k = Math.max(worstAt10k, above);
      // Linear: 10x the profiles may cost at most 10x the time above the floor (plus noise).
      if (previous !== null && above > 2 && above > previous.above * (profiles / previous.profiles) * 1.2 + 2) linear = false;
      previous = { profiles, above };
    }
  }
  record('scaling', 'growth with profile count', linear ? 'linear or better' : 'worse than linear', 'linear', linear);
  return { worstAt10k };
}
