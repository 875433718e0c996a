import { MANIFEST_SCHEMA_VERSION } from '../model/manifest.js';

/** A manifest header as the writer puts it first (a folder source, no plugins). */
export const testManifestHeader = {
  type: 'header',
  schemaVersion: MANIFEST_SCHEMA_VERSION,
  tool: { name: 'evtriage', version: '0' },
  contractVersion: '1.0.0',
  plugins: [],
  source: { path: 'x', kind: 'folder' },
  options: {},
  case: {},
  startedAt: '2026-01-01T00:00:00.000Z',
};

/** Fixed-seed mutants of a manifest (xorshift32): bytes flipped, line breaks inserted, ranges cut or repeated. */
export function manifestMutants(base: Buffer, seed: number, count: number): Buffer[] {
  let x = seed >>> 0 || 1;
  const next = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  return Array.from({ length: count }, () => {
    const b = Buffer.from(base);
    const at = next(b.length);
    switch (next(4)) {
      case 0:
        for (let k = 0; k < 1 + next(8); k++) b[next(b.length)] = next(256);
        return b;
      case 1:
        return Buffer.concat([b.subarray(0, at), Buffer.from(next(2) ? '\n' : '\r\n'), b.subarray(at)]);
      case 2:
        return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + next(200)))]);
      default:
        return Buffer.concat([b.subarray(0, at), b.subarray(next(b.length)), b.subarray(at)]);
    }
  });
}
