// 5. `check --textfile` with alerts configured but nothing to send, against plain `check`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCommand, makeHome, ms, record, timePair } from './lib.mjs';

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
  const { a, b, ratio } = timePair(checkCommand(home, ['--warn', '1h', '--textfile', join(home, 'textfile/authwatch.prom')]), checkCommand(plain, ['--warn', '1h']), runs);
  record('textfile + alerts', `check --textfile with a channel, nothing to send (median of ${runs})`, ms(a), '', null);
  record('textfile + alerts', 'plain check', ms(b), '', null);
  record('textfile + alerts', 'ratio', `${ratio.toFixed(2)}x`, '<= 1.1x', ratio <= 1.1);
}
