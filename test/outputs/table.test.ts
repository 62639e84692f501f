import { describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../src/core/duration.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { buildReport } from '../../src/evaluate/report.js';
import { renderTable } from '../../src/outputs/table.js';
import { makeProfile, type Profile } from '../../src/sources/source.js';
import { DAY, HOUR, NOW } from '../helpers/clock.js';
import { policy } from '../helpers/policy.js';

const profile = (fields: Partial<Profile> & { id: string }) => makeProfile({ provider: 'anthropic', source: 'openclaw', type: 'token', agent: 'main', ...fields });

function tableFor(colour: boolean, width?: number): string {
  const report = buildReport(
    [
      profile({ id: 'anthropic:default', expiresAt: NOW + 3 * HOUR }),
      // Non-ASCII ids: a column is as wide as its longest cell in UTF-16 units, as padEnd counts.
      profile({ id: 'anthropic:café', agent: '仕事', expiresAt: NOW + 30 * DAY }),
      profile({ id: 'openrouter:😀', provider: 'openrouter', type: 'api_key' }),
      // No detail at all: no trailing spaces after the last cell.
      profile({ id: 'gone', agent: null, secret: 'absent' }),
      profile({ id: 'broken', provider: 'unknown', type: null, problem: 'cannot read /h/b.json' }),
    ].map((p) => evaluate(p, NOW, policy)),
    [
      { name: 'openclaw', path: '/h/a.json', found: true, ok: true, error: null },
      { name: 'openclaw', path: '/h/b.json', found: true, ok: false, error: 'broken' },
    ],
    [],
    NOW,
  );
  return renderTable(report, { colour, ...(width === undefined ? {} : { width }) });
}

const in3h = formatLocalTime(NOW + 3 * HOUR);
const in30d = formatLocalTime(NOW + 30 * DAY);
/** Every row that is not ok ends with its fix. */
const anthropicFix = 'fix: run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`; or put ANTHROPIC_API_KEY=… in ~/.openclaw/.env and restart the gateway';
const brokenFix = 'fix: make the source readable (the detail says why), then check again';

describe('table', () => {
  it('pads every column to its widest cell and ends with a summary', () => {
    expect(tableFor(false).split('\n')).toEqual([
      `PROFILE            AGENT  PROVIDER    SOURCE    STATUS    EXPIRES                  REMAINING  DETAIL`,
      `anthropic:default  main   anthropic   openclaw  expiring  ${in3h}  3h         expires in 3h; ${anthropicFix}`,
      `anthropic:café     仕事     anthropic   openclaw  ok        ${in30d}  30d        expires in 30d`,
      `openrouter:😀      main   openrouter  openclaw  ok        -                        -          no expiry`,
      `gone               -      anthropic   openclaw  missing   -                        -          ${anthropicFix}`,
      `broken             main   unknown     openclaw  error     -                        -          cannot read /h/b.json; ${brokenFix}`,
      '',
      '1 expiring, 2 ok, 1 missing, 1 error; 1 source(s) unreadable — status missing, exit 1',
      '',
    ]);
  });

  it('colours the status column only when asked', () => {
    const lines = tableFor(true).split('\n');
    expect(lines[1]).toBe(`anthropic:default  main   anthropic   openclaw  \u001b[33mexpiring\u001b[0m  ${in3h}  3h         expires in 3h; ${anthropicFix}`);
    expect(lines[4]).toBe(`gone               -      anthropic   openclaw  \u001b[31mmissing \u001b[0m  -                        -          ${anthropicFix}`);
    expect(lines[0]).not.toContain('\u001b');
  });

  it('on a wide terminal that holds every row: the same one line per row as piped', () => {
    expect(tableFor(false, 300)).toBe(tableFor(false));
  });

  it('on an 80-column terminal: the detail on an indented second line, the expiry without year and offset', () => {
    const table = tableFor(false, 80);
    expect(table.split('\n')).toEqual([
      'PROFILE            AGENT  PROVIDER    SOURCE    STATUS    EXPIRES      REMAINING',
      `anthropic:default  main   anthropic   openclaw  expiring  ${in3h.slice(5, 16)}  3h`,
      '    expires in 3h; fix: run `claude setup-token`, then `openclaw models auth',
      '    paste-token --provider anthropic --expires-in 365d`; or put',
      '    ANTHROPIC_API_KEY=… in ~/.openclaw/.env and restart the gateway',
      `anthropic:café     仕事     anthropic   openclaw  ok        ${in30d.slice(5, 16)}  30d`,
      '    expires in 30d',
      'openrouter:😀      main   openrouter  openclaw  ok        -            -',
      '    no expiry',
      'gone               -      anthropic   openclaw  missing   -            -',
      '    fix: run `claude setup-token`, then `openclaw models auth paste-token',
      '    --provider anthropic --expires-in 365d`; or put ANTHROPIC_API_KEY=… in',
      '    ~/.openclaw/.env and restart the gateway',
      'broken             main   unknown     openclaw  error     -            -',
      '    cannot read /h/b.json; fix: make the source readable (the detail says why),',
      '    then check again',
      '',
      // The summary wraps too.
      '1 expiring, 2 ok, 1 missing, 1 error; 1 source(s) unreadable — status missing,',
      'exit 1',
      '',
    ]);
  });

  it('on a phone (Termux, 40 columns): agent, source, provider (unless the id says it) and expiry join the wrapped detail', () => {
    const lines = tableFor(true, 40).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'PROFILE            STATUS    REMAINING',
      `anthropic:default  \u001b[33mexpiring\u001b[0m  3h`,
      `    agent main; source openclaw; expires`,
    ].map((line) => line));
    expect(lines[3]).toBe(`    ${in3h.slice(5, 16)}; expires in 3h; fix: run`);
    expect(lines).toContain('    provider unknown; cannot read');
    expect(lines).toContain('    source openclaw; provider anthropic;');
    for (const line of lines) expect(line.replace(/\u001b\[\d+m/g, '').length, line).toBeLessThanOrEqual(40);
    expect(lines.slice(lines.indexOf('') + 1).join(' ').trim()).toBe('1 expiring, 2 ok, 1 missing, 1 error; 1 source(s) unreadable — status missing, exit 1');
  });
});
