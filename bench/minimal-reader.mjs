// The least any Node program can do for a check: read the files authwatch reads on a typical
// home, JSON.parse them and print one line per profile — no validation, no policy, no table.
// The cold-start benchmark times it next to `node -e 0` to show what the 1.5x target leaves.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const home = process.env.HOME;
const agents = await readdir(join(home, '.openclaw/agents')).catch(() => []);
const files = [
  ...agents.flatMap((agent) => [`.openclaw/agents/${agent}/agent/auth-profiles.json`, `.openclaw/agents/${agent}/agent/auth-state.json`]),
  '.openclaw/.env', '.openclaw/openclaw.json', '.openclaw/state/openclaw.sqlite',
  '.claude/.credentials.json', '.codex/auth.json', '.gemini/oauth_creds.json', '.qwen/oauth_creds.json', '.minimax/oauth_creds.json',
];
const texts = await Promise.all(files.map((file) => readFile(join(home, file), 'utf8').catch(() => null)));
let out = '';
texts.forEach((text, index) => {
  if (text === null) return;
  try {
    const document = JSON.parse(text);
    for (const id of Object.keys(document.profiles ?? { [files[index]]: 1 })) out += `${id} ok\n`;
  } catch {
    out += `${files[index]} ${text.length} bytes\n`;
  }
});
process.stdout.write(out);
