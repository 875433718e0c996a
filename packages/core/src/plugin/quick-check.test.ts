import { describe, expect, it } from 'vitest';
import { quickValidDetectResult } from './quick-check.js';
import { DetectResultSchema } from './schemas.js';

/** Answers of the shapes the built-in detectors give (a signature match, statistics' verdict, a chance match). */
const valid = (): Record<string, unknown>[] => [
  {
    format: { id: 'json', name: 'JSON', mime: 'application/json' },
    status: 'analysable',
    confidence: 0.95,
    reasons: [{ code: 'JSON_PARSES', message: 'The whole file parses as JSON.', figures: { encoding: 'utf-8' } }],
  },
  {
    format: { id: 'unknown-encrypted', name: 'Unrecognised data', extensions: ['bin', 'dat'] },
    status: 'opaque',
    confidence: 0.55,
    reasons: [{ code: 'STATISTICALLY_RANDOM', figures: { shannon: 7.66, random: true } }],
    entropy: {
      shannon: 7.6594,
      chiSquare: 244.34,
      chiSquareP: 0.673309,
      compressionRatio: 1.0088,
      sampledBytes: 567,
      blocks: 1,
    },
    basis: 'statistics',
    encryption: {
      scheme: 'unknown',
      scope: 'full',
      keyHint: { description: 'no header names the key', kind: 'unknown', present: 'unknown', lookFor: ['x'] },
    },
    details: { header: { version: 3 }, names: ['a', 'b'] },
  },
  {
    format: { id: 'libmagic-chance-match', name: 'libmagic chance match (x)' },
    status: 'unreadable',
    confidence: 0,
    reasons: [{ code: 'LIBMAGIC_WEAK', message: 'x' }, { code: 'A1_B' }],
  },
];

const zodSays = (x: unknown) => DetectResultSchema.safeParse(x).success;

/** Ways to break (or merely bend) one answer: every one is a copy with one change at one place. */
function variants(base: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const copy = () => structuredClone(base);
  const bad: unknown[] = [
    undefined,
    null,
    '',
    'x',
    'BAD code',
    'lower',
    -1,
    1.5,
    9,
    Number.NaN,
    Infinity,
    2 ** 60,
    0.5,
    true,
    [],
    [undefined],
    {},
    new Date(0),
    Object.create(null),
  ];
  const paths: string[][] = [
    ['format'],
    ['format', 'id'],
    ['format', 'name'],
    ['format', 'mime'],
    ['format', 'extensions'],
    ['status'],
    ['confidence'],
    ['reasons'],
    ['reasons', '0'],
    ['reasons', '0', 'code'],
    ['reasons', '0', 'message'],
    ['reasons', '0', 'figures'],
    ['reasons', '0', 'figures', 'encoding'],
    ['details'],
    ['entropy'],
    ['entropy', 'shannon'],
    ['entropy', 'chiSquare'],
    ['entropy', 'chiSquareP'],
    ['entropy', 'compressionRatio'],
    ['entropy', 'sampledBytes'],
    ['entropy', 'blocks'],
    ['basis'],
    ['encryption'],
    ['encryption', 'scheme'],
    ['encryption', 'scope'],
    ['encryption', 'keyHint'],
    ['encryption', 'keyHint', 'description'],
    ['encryption', 'keyHint', 'kind'],
    ['encryption', 'keyHint', 'present'],
    ['encryption', 'keyHint', 'foundAt'],
    ['encryption', 'keyHint', 'lookFor'],
    ['encryption', 'stray'],
    ['encryption', 'keyHint', 'stray'],
    ['stray'],
    ['format', 'stray'],
    ['reasons', '0', 'stray'],
    ['entropy', 'stray'],
  ];
  for (const path of paths) {
    for (const [i, value] of bad.entries()) {
      const c = copy();
      let at: Record<string, unknown> = c;
      for (const k of path.slice(0, -1)) {
        const next = at[k];
        if (typeof next !== 'object' || next === null) at[k] = {};
        at = at[k] as Record<string, unknown>;
      }
      at[path.at(-1)!] = value;
      out.push([`${path.join('.')} = bad[${i}]`, c]);
    }
    const c = copy();
    let at: Record<string, unknown> = c;
    for (const k of path.slice(0, -1)) at = (at[k] ?? {}) as Record<string, unknown>;
    delete at[path.at(-1)!];
    out.push([`${path.join('.')} removed`, c]);
  }
  class Detection {
    constructor() {
      Object.assign(this, base);
    }
  }
  out.push(['a class instance', new Detection()]);
  out.push(['a symbol key', { ...copy(), [Symbol('s')]: 1 }]);
  out.push(['an own __proto__ key', JSON.parse(`{"__proto__": 1, ${JSON.stringify(copy()).slice(1)}`)]);
  // Holes: `every` would skip them, the schema sees `undefined`.
  const answers: unknown[] = [copy()];
  answers[2] = copy();
  out.push(['a hole in an array of answers', answers]);
  const reasons: unknown[] = [(base['reasons'] as unknown[])[0]];
  reasons.length = 2;
  out.push(['a hole in the reasons', { ...copy(), reasons }]);
  out.push(['an array of answers', [copy(), copy()]]);
  out.push(['an empty array', []]);
  return out;
}

describe('quickValidDetectResult', () => {
  it('accepts the usual answers (so the schema is skipped for them)', () => {
    for (const d of valid()) {
      expect(quickValidDetectResult(d)).toBe(true);
      expect(zodSays(d)).toBe(true);
    }
    expect(quickValidDetectResult(valid())).toBe(true);
  });

  it('never accepts an answer the schema rejects', () => {
    let rejectedByZod = 0;
    let acceptedByBoth = 0;
    for (const base of valid())
      for (const [what, answer] of variants(base)) {
        const quick = quickValidDetectResult(answer);
        const zod = zodSays(answer);
        if (quick) expect(zod, what).toBe(true);
        if (!zod) rejectedByZod++;
        if (quick && zod) acceptedByBoth++;
      }
    // The variants do exercise both sides: most break the contract, some only bend it.
    expect(rejectedByZod).toBeGreaterThan(500);
    expect(acceptedByBoth).toBeGreaterThan(10);
  });

  it('leaves an encryption without its scope to the schema (which fills the default)', () => {
    const d = { ...valid()[1]!, encryption: { scheme: 'unknown' } };
    expect(quickValidDetectResult(d)).toBe(false);
    expect(zodSays(d)).toBe(true);
  });
});
