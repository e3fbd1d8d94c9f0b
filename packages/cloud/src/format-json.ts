const DEFAULT_WIDTH = 100;

/**
 * Serialises JSON the way Prettier prints a `.json` file (objects one key per
 * line; a list of scalars on one line when it fits in `printWidth`), so
 * generated files pass `prettier --check` without running Prettier.
 */
export function formatJson(value: unknown, printWidth = DEFAULT_WIDTH): string {
  return `${format(value, '', 0, printWidth)}\n`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function format(value: unknown, indent: string, used: number, width: number): string {
  if (isScalar(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (used + flat.length <= width) return flat;
    }
    const items = value.map((v) => `${inner}${format(v, inner, inner.length, width)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => {
    const head = `${inner}${JSON.stringify(k)}: `;
    return `${head}${format(v, inner, head.length, width)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
