import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', 'src');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? modules(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a module, type-only ones and dynamic `import()` included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).concat(next));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('architecture', () => {
  const files = modules(src);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));
  const name = (file: string) => relative(src, file);

  it('every relative import names a module that exists', () => {
    const known = new Set(files);
    const broken = [...graph].flatMap(([file, targets]) => targets.filter((t) => t.endsWith('.ts') && !known.has(t)).map((t) => `${name(file)} -> ${name(t)}`));
    expect(broken).toEqual([]);
  });

  it('has no import cycles, not even through type-only imports', () => {
    expect(cycles(graph).map((cycle) => cycle.map(name).join(' -> '))).toEqual([]);
  });

  it('keeps the shared helpers (src/core) free of the layers above them', () => {
    const upward = [...graph]
      .filter(([file]) => name(file).startsWith('core/'))
      .flatMap(([file, targets]) => targets.filter((t) => !name(t).startsWith('core/')).map((t) => `${name(file)} -> ${name(t)}`));
    expect(upward).toEqual([]);
  });

  it('keeps the state directory below what keeps state in it: the pipeline and the live checks import nothing of the alerts', () => {
    const upward = [...graph]
      .filter(([file]) => /^(pipeline|live)\//.test(name(file)))
      .flatMap(([file, targets]) => targets.filter((t) => name(t).startsWith('alerts/')).map((t) => `${name(file)} -> ${name(t)}`));
    expect(upward).toEqual([]);
  });
});
