// 7. Live checks with every result fresh (kept in the state dir) against a plain check: the
// reuse must cost ≤ 1.1× (no request goes out; only live.json is read). `node bench/live.mjs`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkCommand, cli, envFor, makeHome, ms, printTable, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

const providerIds = ['anthropic', 'openai', 'openai-codex', 'openrouter', 'google', 'xai', 'deepseek', 'groq', 'mistral', 'github-copilot'];

export async function liveReuse({ runs }) {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const home = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  const plain = makeHome({ profiles: 6, agents: 1, cliLogins: true });
  for (const dir of [home, plain]) mkdirSync(join(dir, '.config/authwatch'), { recursive: true });
  // A quota interval of an hour too, so nothing falls due while the runs are timed.
  const live = { interval: '1h', quotaInterval: '1h', timeout: '1s', providers: Object.fromEntries(providerIds.map((id) => [id, { baseUrl: url }])) };
  writeFileSync(join(home, '.config/authwatch/config.json5'), JSON.stringify({ live }));
  // The same config with live checks off: the figure is what turning them on costs.
  writeFileSync(join(plain, '.config/authwatch/config.json5'), JSON.stringify({ live: { ...live, enabled: false } }));
  // The first run asks the providers (the server answers while this process waits) …
  await new Promise((resolve, reject) => spawn(process.execPath, [cli, 'check'], { env: envFor(home), stdio: 'ignore' }).on('close', resolve).on('error', reject));
  const asked = requests;
  const kept = Object.keys(JSON.parse(readFileSync(join(home, '.local/state/authwatch/live.json'), 'utf8')).results).length;
  // … the timed ones reuse the kept results (spawnSync blocks this process: a request would hang for 1s and show).
  const { a, b, ratio } = timePair(checkCommand(home), checkCommand(plain), runs);
  server.close();
  record('live checks', `first run: requests sent / results kept`, `${asked} / ${kept}`, '', null);
  record('live checks', `check with live on, all results fresh (median of ${runs})`, ms(a), '', null);
  record('live checks', 'plain check', ms(b), '', null);
  record('live checks', 'requests while timed', String(requests - asked), '0', requests === asked);
  record('live checks', 'ratio', `${ratio.toFixed(2)}x`, ...judged('liveRatio', ratio));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await liveReuse({ runs: Number(process.env.BENCH_RUNS ?? 21) });
  printTable();
}
