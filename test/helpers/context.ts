import pino from 'pino';
import type { SourceContext } from '../../src/sources/source.js';
import { NOW } from './clock.js';

export function contextFor(home: string, env: Record<string, string> = {}, agent: string | null = null): SourceContext {
  return { home, env, now: NOW, agent };
}

export const silentLog = pino({ level: 'silent' });
