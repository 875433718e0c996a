/**
 * Comparisons the kit needs: a stable serialisation (for duplicate cases and
 * second-run checks) and a subset match that says where values differ.
 */

/** JSON with sorted keys; typed arrays as hex, so equal content gives equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value))
    return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = normalise(v);
    }
    return out;
  }
  return value;
}

/**
 * Differences between `actual` and the `expected` subset: objects match when
 * every expected key matches, arrays and scalars must be equal. Returns
 * `path: expected X, got Y` phrases; empty when it matches.
 */
export function subsetDiff(actual: unknown, expected: unknown, at = ''): string[] {
  if (expected && typeof expected === 'object' && !Array.isArray(expected) && !ArrayBuffer.isView(expected)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual))
      return [`${at || '(value)'}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      subsetDiff((actual as Record<string, unknown>)[k], v, at ? `${at}.${k}` : k),
    );
  }
  return stableStringify(actual) === stableStringify(expected)
    ? []
    : [`${at || '(value)'}: expected ${show(expected)}, got ${show(actual)}`];
}

export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : stableStringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Sorted copy, for comparing code lists as multisets. */
export function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}
