import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome } from '../helpers/home.js';
import { freePort, startProcess, waitFor } from '../helpers/processes.js';
import { startSmtp } from '../helpers/smtp.js';
import { toolForTest } from '../helpers/tools.js';

const alertmanager = toolForTest('prometheus-alertmanager');
const amtool = toolForTest('amtool');
const example = new URL('../../deploy/alertmanager/alertmanager.yml', import.meta.url).pathname;
const rules = new URL('../../deploy/prometheus/authwatch.rules.yml', import.meta.url).pathname;

/** One credential's labels as the rules give them (textfile route, host from authwatch_host_info). */
const credential = { job: 'node', instance: 'gw:9100', host: 'gateway-1', profile: 'anthropic:manual', provider: 'anthropic', source: 'openclaw', agent: 'main' };

describe.runIf(Boolean(amtool))('the Alertmanager example (amtool)', () => {
  it('check-config accepts it, and it routes by severity', () => {
    const check = spawnSync(amtool!, ['check-config', example], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toMatch(/SUCCESS[\s\S]*3 inhibit rules[\s\S]*2 receivers/);
    expect(check.status).toBe(0);
    const route = (...labels: string[]) => spawnSync(amtool!, ['config', 'routes', 'test', `--config.file=${example}`, ...labels], { encoding: 'utf8' }).stdout.trim();
    expect(route('severity=critical', 'host=gateway-1')).toBe('email-critical');
    expect(route('severity=warning', 'host=gateway-1')).toBe('email');
  });

  it('every alert the inhibit rules name exists in the rules', () => {
    const defined = new Set([...readFileSync(rules, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]));
    const named = [...readFileSync(example, 'utf8').matchAll(/alertname=~?"([^"]+)"/g)].flatMap((m) => m[1]!.split('|'));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(defined).toContain(name);
  });
});

describe.runIf(Boolean(alertmanager))('the Alertmanager example (a real Alertmanager and SMTP server)', () => {
  it('an expiring credential with hours left pages once, as critical; a lone warning goes to the warning receiver', async () => {
    const smtp = await startSmtp();
    const home = makeHome();
    // The example's routes, inhibit rules and receivers as shipped; only the mail server is the
    // test's, and the group waits are shortened.
    const config = readFileSync(example, 'utf8')
      .replace("smtp_smarthost: 'smtp.example.com:587'", `smtp_smarthost: '127.0.0.1:${smtp.port}'`)
      .replace(/^ {2}smtp_auth_username: .*$/m, '')
      .replace('smtp_require_tls: true', 'smtp_require_tls: false')
      .replace(/group_wait: \w+/g, 'group_wait: 1s');
    expect(config).toContain(`127.0.0.1:${smtp.port}`);
    writeFileSync(join(home, 'am.yml'), config);
    const port = await freePort();
    const am = startProcess(
      alertmanager!,
      [`--config.file=${join(home, 'am.yml')}`, `--storage.path=${join(home, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { PATH: process.env.PATH },
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor('alertmanager', async () => ((await fetch(`${base}/-/ready`).catch(() => null))?.ok ? true : undefined), 20_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${am.output.stderr}`);
    });

    const alert = (alertname: string, severity: string, labels: Record<string, string>) => ({
      labels: { alertname, severity, ...labels },
      annotations: { summary: `${alertname} ${labels.profile}` },
      startsAt: new Date().toISOString(),
    });
    const other = { ...credential, profile: 'openrouter:default', provider: 'openrouter' };
    const posted = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('AuthwatchCredentialExpiring', 'warning', credential),
        alert('AuthwatchCredentialExpiresWithinHours', 'critical', credential),
        alert('AuthwatchCredentialExpiring', 'warning', other),
      ]),
    });
    expect(posted.status).toBe(200);

    const alerts = async () => (await (await fetch(`${base}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
    const inhibited = await waitFor('the warning to be inhibited', async () => {
      const all = await alerts();
      const warning = all.find((a) => a.labels.alertname === 'AuthwatchCredentialExpiring' && a.labels.profile === credential.profile);
      return warning?.status.state === 'suppressed' ? warning : undefined;
    });
    expect(inhibited.status.inhibitedBy).toHaveLength(1);
    expect((await alerts()).find((a) => a.labels.profile === other.profile)?.status.state).toBe('active');

    await waitFor('two mails (critical, lone warning)', () => (smtp.received.length >= 2 ? true : undefined), 20_000);
    // Past another group wait and flush: nothing more arrives (the inhibited warning stays silent).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(smtp.received).toHaveLength(2);
    const critical = smtp.received.find((m) => m.mail.subject?.startsWith('[CRITICAL]'));
    const warning = smtp.received.find((m) => !m.mail.subject?.startsWith('[CRITICAL]'));
    expect(critical?.envelopeTo.sort()).toEqual(['oncall@example.com', 'ops@example.com']);
    expect(critical?.mail.html || critical?.mail.text).toContain('AuthwatchCredentialExpiresWithinHours');
    expect(critical?.mail.html || critical?.mail.text).not.toContain('AuthwatchCredentialExpiring anthropic');
    expect(warning?.envelopeTo).toEqual(['ops@example.com']);
    expect(warning?.mail.html || warning?.mail.text).toContain('openrouter:default');
  }, 60_000);
});
