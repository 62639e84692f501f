import type { Config } from '../config/schema.js';
import { readSecret } from '../config/read-secret.js';
import { stateDirectory, makeStateDirectory } from '../core/state-dir.js';
import { AuthwatchError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { GatewayInputs } from './gateway-view.js';
import { resolveGatewayTargets, type ConfiguredGateway } from '../sources/gateway-target.js';
import type { SourceContext } from '../sources/source.js';

/**
 * The gateways a check reads (`--gateway`, the config's `gateways`, OpenClaw's variables and
 * openclaw.json), with their secrets read. A gateway the user named that cannot be set up is
 * an error; trouble with the auto-discovered local one is only logged.
 */
export async function gatewayInputs(context: SourceContext, flag: string | undefined, config: Config, agent: string | null, log: Logger): Promise<GatewayInputs | null> {
  const env = context.env as NodeJS.ProcessEnv;
  const configured: ConfiguredGateway[] = [];
  for (const [index, gateway] of config.gateways.entries()) {
    const field = `gateways[${index}] (${gateway.name})`;
    configured.push({
      name: gateway.name,
      url: gateway.url,
      token: gateway.token ? await readSecret(gateway.token, `${field}.token`, env) : undefined,
      password: gateway.password ? await readSecret(gateway.password, `${field}.password`, env) : undefined,
    });
  }
  const explicit = flag !== undefined || configured.length > 0 || Boolean(env.OPENCLAW_GATEWAY_URL?.trim());
  let targets;
  try {
    targets = await resolveGatewayTargets({ context, flag, configured });
  } catch (error) {
    if (explicit || !(error instanceof AuthwatchError)) throw error;
    log.warn({ error: error.message }, 'the local gateway is not read');
    return null;
  }
  if (targets.length === 0) return null;
  const stateDir = stateDirectory(env, context.home);
  makeStateDirectory(stateDir);
  return { targets, options: { stateDir, deadlineMs: config.openclaw.gatewayTimeout, agent } };
}
