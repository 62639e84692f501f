import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportToJson } from '../outputs/json.js';
import type { DaemonMetrics } from '../outputs/prometheus.js';
import type { Authorizer } from './http-auth.js';
import type { CheckRunner } from './runner.js';

export interface ServerDeps {
  runner: CheckRunner;
  metrics: DaemonMetrics;
  authorizer: () => Authorizer;
  /** How old the last completed check may be before /healthz says 503. */
  staleAfterMs: () => number;
  scrapeTtlMs: () => number;
}

function send(response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

const routes = new Set(['/metrics', '/status', '/healthz']);

/**
 * The daemon's HTTP surface: GET/HEAD only, no request bodies, three fixed paths, optional
 * bearer/basic auth on all of them. Nothing from the request is echoed back.
 */
export function createHandler(deps: ServerDeps) {
  let status: { report: unknown; body: string } | null = null;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > 0 || request.headers['transfer-encoding'] !== undefined) return send(response, 400, 'request bodies are not accepted\n');
    const path = (request.url ?? '/').split('?')[0]!;
    if (!routes.has(path)) return send(response, 404, 'not found (try /metrics, /status or /healthz)\n');
    const authorizer = deps.authorizer();
    if (!authorizer.check(request.headers.authorization)) {
      return send(response, 401, 'unauthorized\n', authorizer.challenge ? { 'www-authenticate': authorizer.challenge } : {});
    }

    if (path === '/healthz') {
      const health = deps.runner.health(deps.staleAfterMs());
      return send(response, health.ok ? 200 : 503, `${health.message}\n`);
    }
    await deps.runner.ensureFresh(deps.scrapeTtlMs());
    if (path === '/status') {
      const report = deps.runner.record.report;
      if (!report) return send(response, 503, 'no check has completed yet\n');
      if (status?.report !== report) status = { report, body: `${JSON.stringify(reportToJson(report), null, 2)}\n` };
      return send(response, 200, status.body, { 'content-type': 'application/json' });
    }
    const { body, contentType } = await deps.metrics.render(/application\/openmetrics-text/.test(request.headers.accept ?? ''));
    return send(response, 200, body, { 'content-type': contentType });
  };
}
