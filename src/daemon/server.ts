import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Logger } from '../core/log.js';
import { scrub } from '../core/scrub.js';
import { authHealth } from '../evaluate/availability.js';
import { reportToJson } from '../outputs/json.js';
import type { DaemonMetrics } from '../outputs/prometheus.js';
import type { Authorizer } from './http-auth.js';
import { errorMessage, type CheckRunner } from './runner.js';

interface ServerDeps {
  runner: CheckRunner;
  metrics: DaemonMetrics;
  authorizer: () => Authorizer;
  /** How old the last completed check may be before /healthz says 503. */
  staleAfterMs: () => number;
  scrapeTtlMs: () => number;
  log: Logger;
}

/**
 * Bounds on each connection, so a client that sends its request slowly (or never finishes it)
 * is cut off instead of holding a socket: the whole request (headers only: bodies are refused)
 * within `requestTimeout`, checked every `connectionsCheckingInterval` (Node's default interval
 * would let a slow client hang on for half a minute past the limit).
 */
export const serverOptions: ServerOptions = { headersTimeout: 5_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 };

/** Every answer leaves through the scrubber: a text here, or bytes the caller scrubbed when it made them (once per check). */
function send(response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : typeof body === 'string' ? scrub(body) : body);
}

const routes = new Set(['/metrics', '/status', '/healthz']);
/** For uptime monitors: 200 while every provider in use (or the one named) is served, else 503. */
const authHealthPath = /^\/health\/auth(?:\/([a-z0-9][a-z0-9._-]{0,63}))?$/;

/**
 * The daemon's HTTP surface: GET/HEAD only, no request bodies, three fixed paths, optional
 * bearer/basic auth on all of them. Nothing from the request is echoed back. Every answer is
 * made from the last completed check: a scrape that finds it older than `scrapeTtl` starts the
 * next one in the background and never waits for it (nor for an alert delivery). An error while
 * answering is a 500 with a one-line message and a log line; the daemon keeps serving.
 */
export function createHandler(deps: ServerDeps) {
  let status: { report: unknown; body: Buffer } | null = null;
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > 0 || request.headers['transfer-encoding'] !== undefined) return send(response, 400, 'request bodies are not accepted\n');
    const path = (request.url ?? '/').split('?')[0]!;
    const authPath = authHealthPath.exec(path);
    if (!routes.has(path) && !authPath) return send(response, 404, 'not found (try /metrics, /status, /healthz or /health/auth)\n');
    const authorizer = deps.authorizer();
    if (!authorizer.check(request.headers.authorization)) {
      return send(response, 401, 'unauthorized\n', authorizer.challenge ? { 'www-authenticate': authorizer.challenge } : {});
    }

    if (path === '/healthz') {
      const health = deps.runner.health(deps.staleAfterMs());
      return send(response, health.ok ? 200 : 503, `${health.message}\n`);
    }
    deps.runner.refresh(deps.scrapeTtlMs());
    if (authPath) {
      // Judged from the last check only while it is fresh: a stale one must not keep a monitor green.
      const health = deps.runner.health(deps.staleAfterMs());
      const report = deps.runner.record.report;
      if (!health.ok || !report) return send(response, 503, `${health.ok ? 'no check has completed yet' : health.message}\n`);
      const answer = authHealth(report, authPath[1] ?? null);
      return send(response, answer.ok ? 200 : 503, `${scrub(answer.line).replace(/\s+/g, ' ')}\n`);
    }
    if (path === '/status') {
      const report = deps.runner.record.report;
      if (!report) return send(response, 503, 'no check has completed yet\n');
      // A key pasted as a profile id is in the report as it was read: the scrubber knows it (run-check.ts).
      if (status?.report !== report) status = { report, body: Buffer.from(scrub(`${JSON.stringify(reportToJson(report), null, 2)}\n`)) };
      return send(response, 200, status.body, { 'content-type': 'application/json' });
    }
    const { body, contentType } = await deps.metrics.render(/application\/openmetrics-text/.test(request.headers.accept ?? ''));
    return send(response, 200, body, { 'content-type': contentType });
  };
  return (request: IncomingMessage, response: ServerResponse): void => {
    answer(request, response).catch((error: unknown) => {
      const path = (request.url ?? '/').split('?')[0]!;
      // The message goes to the log only: it may quote what the failing step was looking at.
      deps.log.error({ path: routes.has(path) ? path : '(other)', error: errorMessage(error) }, 'answering a request failed; the daemon keeps serving');
      if (response.headersSent) return void response.destroy();
      send(response, 500, `internal error while answering ${routes.has(path) ? path : 'the request'}; the daemon's log says why\n`);
    });
  };
}
