import { hostname } from 'node:os';
import { AuthwatchError } from '../core/errors.js';
import { httpSend } from '../core/http-send.js';

/** The whole push (connect, PUT, answer) must be done within this; a stuck Pushgateway never holds the run. */
const pushTimeoutMs = 10_000;

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

export interface PushTarget {
  url: string;
  /** Basic auth, read from a file or the environment (never from the command line). */
  basic?: { user: string; password: string };
}

/**
 * PUTs the snapshot: PUT replaces the whole group, so a profile that disappeared from this
 * host disappears from the Pushgateway too (it has no TTL of its own).
 */
export function pushMetrics(target: PushTarget, text: string, instance?: string): Promise<void> {
  return sendToGroup('PUT', target, text, instance);
}

/** Deletes this host's group, for `uninstall`: a retired host's last snapshot would otherwise stay (and page) forever. */
export function deletePushGroup(target: PushTarget, instance?: string): Promise<void> {
  return sendToGroup('DELETE', target, '', instance);
}

async function sendToGroup(method: 'PUT' | 'DELETE', target: PushTarget, body: string, instance: string | undefined): Promise<void> {
  const url = pushGroupUrl(target.url, instance);
  try {
    await httpSend({
      method,
      url,
      body,
      headers: method === 'PUT' ? { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } : {},
      ...(target.basic ? { basic: target.basic } : {}),
      timeoutMs: pushTimeoutMs,
    });
  } catch (error) {
    throw new AuthwatchError(`push: ${(error as Error).message}`);
  }
}
