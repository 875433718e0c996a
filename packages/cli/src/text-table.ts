/** A plain text table: the first column and the `left` ones left-aligned, the others (numbers) right-aligned. */
export function table(
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  header: readonly string[],
  left: readonly number[] = [],
): string {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r, ri) => {
      const line = r
        .map((c, i) => (i === 0 || left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ');
      return ri === 0 ? `${line.trimEnd()}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}
