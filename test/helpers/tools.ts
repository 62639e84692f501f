import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where `.ci/install-tools.sh` puts the Debian tools (promtool, node_exporter, …). */
const toolDirs = () => [
  ...(process.env.AUTHWATCH_TOOLS_DIR ? [join(process.env.AUTHWATCH_TOOLS_DIR, 'bin')] : []),
  '/opt/authwatch-tools/bin',
  ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
];

export function findTool(name: string): string | null {
  for (const dir of toolDirs()) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A real external tool for a test. In CI its absence is a failure (the install step broke);
 * locally the test is skipped with a message saying how to get the tool.
 */
export function toolForTest(name: string): string | null {
  const path = findTool(name);
  if (path) return path;
  if (process.env.CI) throw new Error(`${name} is required in CI but was not found; .ci/install-tools.sh should install it`);
  console.warn(`skipping tests that need ${name}: not found (run: bash .ci/install-tools.sh)`);
  return null;
}
