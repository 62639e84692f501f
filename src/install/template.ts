import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';

/**
 * Replaces every `@NAME@` in a template. A placeholder whose value is an empty string takes
 * its whole line with it when it stands alone on that line; an unknown placeholder is a bug in
 * the template and fails loudly rather than installing a broken file.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, name: string): string {
  const filled = template
    .split('\n')
    .filter((line) => {
      const alone = /^@([A-Z_]+)@$/.exec(line.trim());
      return !(alone && values[alone[1]!] === '');
    })
    .join('\n')
    .replace(/@([A-Z_]+)@/g, (match, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`template ${name}: no value for ${match}`);
      return value;
    });
  return filled;
}

/** This installation's files: the running entry script and the package root beside it. */
export function installation(): { node: string; entry: string; root: string } {
  const entry = realpathSync(process.argv[1]!);
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) || !/"name":\s*"authwatch"/.test(readFileSync(join(dir, 'package.json'), 'utf8'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new AuthwatchError(`cannot find authwatch's package directory above ${entry}`);
    dir = parent;
  }
  return { node: process.execPath, entry, root: dir };
}

export function readTemplate(root: string, relative: string): string {
  return readFileSync(join(root, relative), 'utf8');
}
