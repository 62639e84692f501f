// 5. A configured home: `check --textfile` with an email channel that has nothing to send,
// against `node -e 0` (the issue-17 target) and against a plain `check` on the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCommand, floorCommand, makeHome, ms, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

export function alertRun({ runs }) {
  const home = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  const plain = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  mkdirSync(join(home, '.config/authwatch'), { recursive: true });
  mkdirSync(join(home, 'textfile'));
  // All profiles are ok, so the email channel has nothing to send: nodemailer must stay unloaded.
  writeFileSync(
    join(home, '.config/authwatch/config.json5'),
    `{ warn: "1h", channels: [{ name: "mail", type: "email", smtp: { host: "127.0.0.1", port: 9 }, from: "a@example.com", to: ["b@example.com"] }] }`,
  );
  const configured = checkCommand(home, ['--warn', '1h', '--textfile', join(home, 'textfile/authwatch.prom')]);
  const floor = timePair(configured, floorCommand, runs);
  record('configured home', `check --textfile, email channel with nothing to send (median of ${runs})`, ms(floor.a), '', null);
  record('configured home', 'node -e 0 (floor)', ms(floor.b), '', null);
  record('configured home', 'ratio configured check / floor', `${floor.ratio.toFixed(2)}x`, ...judged('configuredRatio', floor.ratio));
  const { ratio } = timePair(configured, checkCommand(plain, ['--warn', '1h']), runs);
  record('configured home', 'ratio configured / plain check (what the config, alerts and textfile add)', `${ratio.toFixed(2)}x`, '', null);
}
