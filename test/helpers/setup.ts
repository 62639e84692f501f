// Loaded before every test file (vitest setupFiles): no test leaves a child process behind.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { enterTest, killChildren } from './children.js';

beforeEach(enterTest);
afterEach(() => killChildren('test'));
afterAll(() => killChildren('all'));
