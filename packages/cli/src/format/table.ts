/**
 * Rows as aligned columns, each line indented by `indent`. Every cell but a
 * row's last is padded to its column's width (capped at `cap` characters: a
 * longer cell overflows and only its row shifts), so a row may end early and
 * its last cell may run past the columns on its right.
 */
export function formatTable(rows: readonly (readonly string[])[], indent = '  ', cap = 40): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length - 1; i++) {
      widths[i] = Math.min(cap, Math.max(widths[i] ?? 0, (row[i] ?? '').length));
    }
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, i) =>
        i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0),
      );
      return `${indent}${cells.join('  ')}`.trimEnd();
    })
    .join('\n');
}
