import { hostname } from 'node:os';
import { AuthwatchError } from '../core/errors.js';

const pushTimeoutMs = 10_000;

/** The URL without user:password, for messages. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** `<base>/metrics/job/authwatch/instance/<host>`: the group this host's snapshot replaces. */
export function pushGroupUrl(base: string, instance = hostname()): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new AuthwatchError(`--push: not a URL: expected e.g. http://pushgateway:9091`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AuthwatchError(`--push: expected an http(s) URL`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/metrics/job/authwatch/instance/${encodeURIComponent(instance)}`;
  return url;
}

/**
 * PUTs the snapshot: PUT replaces the whole group, so a profile that disappeared from this
 * host disappears from the Pushgateway too (it has no TTL of its own).
 */
export async function pushMetrics(base: string, text: string, instance?: string): Promise<void> {
  const url = pushGroupUrl(base, instance);
  const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' };
  if (url.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  const target = new URL(url);
  target.username = '';
  target.password = '';
  let response: Response;
  try {
    response = await fetch(target, { method: 'PUT', headers, body: text, signal: AbortSignal.timeout(pushTimeoutMs) });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${pushTimeoutMs / 1000}s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
    throw new AuthwatchError(`push to ${displayUrl(url)} failed: ${reason}`);
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 200).trim();
    throw new AuthwatchError(`push to ${displayUrl(url)} failed: HTTP ${response.status}${body ? ` (${body})` : ''}`);
  }
}
