// The least any Node program can do for a check: read the files authwatch reads on a typical
// home, JSON.parse them and print one line per profile — no validation, no policy, no table.
// The cold-start benchmark times it next to `node -e 0` to show what the 1.5x target leaves.
// CommonJS, synchronous reads and a direct write to fd 1, as authwatch's check itself does.
'use strict';
const { readdirSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const home = process.env.HOME;
let agents = [];
try {
  agents = readdirSync(join(home, '.openclaw/agents'));
} catch {
  // no agents
}
const files = [
  ...agents.flatMap((agent) => [`.openclaw/agents/${agent}/agent/auth-profiles.json`, `.openclaw/agents/${agent}/agent/auth-state.json`]),
  '.openclaw/.env', '.openclaw/openclaw.json', '.openclaw/state/openclaw.sqlite',
  '.claude/.credentials.json', '.codex/auth.json', '.gemini/oauth_creds.json', '.qwen/oauth_creds.json', '.minimax/oauth_creds.json',
];
let out = '';
for (const file of files) {
  let text;
  try {
    text = readFileSync(join(home, file), 'utf8');
  } catch {
    continue;
  }
  try {
    const document = JSON.parse(text);
    for (const id of Object.keys(document.profiles ?? { [file]: 1 })) out += `${id} ok\n`;
  } catch {
    out += `${file} ${text.length} bytes\n`;
  }
}
writeSync(1, out);
