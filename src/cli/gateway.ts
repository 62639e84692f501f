import { AuthwatchError, ExitCode } from '../core/errors.js';
import { scrub, urlForMessages } from '../core/scrub.js';
import { commonOptions, commonSetup, parseCommandArgs } from './options.js';
import { writeStdout } from './stdout.js';

const gatewayUsage = `Usage: authwatch gateway pair [--gateway URL] [--config FILE]

Connects to each OpenClaw gateway authwatch reads (the same ones \`check\` finds: --gateway,
the config's gateways, $OPENCLAW_GATEWAY_URL, openclaw.json) with authwatch's device identity
and the read-only scope operator.read. A loopback gateway pairs it silently; a remote one
answers with a pairing request: this prints its id and the exact command to approve it on the
gateway host. Exits 0 when every gateway answered, 1 when a pairing is pending or a gateway
could not be read.

Options:
  --gateway URL      this gateway only (its token from $OPENCLAW_GATEWAY_TOKEN)
  --config FILE      config file (default $AUTHWATCH_CONFIG or ~/.config/authwatch/config.json5)
  --log-level LEVEL  fatal, error, warn (default), info, debug, trace, silent (also $LOG_LEVEL)
  -h, --help         this help
`;

export const options = { ...commonOptions, gateway: { type: 'string' } } as const;

export async function gateway(argv: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('gateway', argv, options, true);
  if (values.help) {
    writeStdout(gatewayUsage);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'pair') throw new AuthwatchError('gateway: expected `authwatch gateway pair`', { hint: 'run `authwatch gateway --help`' });
  const { env, home, now, loaded, log } = await commonSetup(values);
  const { gatewayInputs } = await import('../pipeline/gateway-inputs.js');
  const inputs = await gatewayInputs({ env, home, now, agent: null }, values.gateway, loaded.config, null, log);
  if (!inputs) throw new AuthwatchError('gateway pair: no gateway to pair with', { hint: 'give --gateway ws://host:port, set OPENCLAW_GATEWAY_URL, or list gateways in the config' });
  const { readGateway } = await import('../sources/gateway.js');
  let allPaired = true;
  for (const target of inputs.targets) {
    const read = await readGateway({ ...target, explicit: true }, { ...inputs.options, prefixAgents: false });
    const shown = urlForMessages(target.url);
    if (read.ok) {
      writeStdout(`${shown}: paired; authwatch reads it (${read.profiles.length} credential${read.profiles.length === 1 ? '' : 's'})\n`);
      continue;
    }
    allPaired = false;
    if (read.failure === 'pairing') {
      writeStdout(
        `${shown}: pairing pending${read.requestId ? ` (request ${read.requestId})` : ''}\n  on the gateway host run:  ${read.requestId ? `openclaw devices approve ${read.requestId}` : 'openclaw devices list   (then approve the pending request by its id)'}\n  then run \`authwatch gateway pair\` again\n`,
      );
    } else {
      writeStdout(`${shown}: ${scrub(read.visits[0]?.error ?? 'not read')}\n`);
    }
  }
  return allPaired ? ExitCode.Ok : ExitCode.ExpiredOrMissing;
}
