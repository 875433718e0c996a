/**
 * Property-based robustness tests (fast-check) over every built-in detector
 * and parser and over the engine's plist and SQLite openers. Inputs are
 * random bytes, every declared signature followed by random bytes (so the
 * procedural checks behind the signatures run), and real fixture files
 * mutated (bytes flipped, truncated, spliced, sizes that lie). Properties:
 * no exception escapes a detector or a parser (input problems must be
 * diagnostics), the openers throw only ordinary Errors, and every call
 * returns within a time bound. A failure prints the seed and the shrunk
 * input, so it can be replayed with `fc.assert(..., { seed, path })`.
 *
 * The suite runs a short, fixed-seed pass, the same on every run. Longer
 * passes over other seeds: `scripts/fuzz-plugins.sh` (FUZZ_SEED, FUZZ_SCALE).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  decodePlist,
  quoteIdent,
  type SqliteHandle,
  type ParseContext,
  type ParserPlugin,
  type Probe,
  type SourceEntry,
  TarSource,
} from '@evtriage/core';
import { makeProbe, openSqliteCopy } from '@evtriage/core/internal';
import { builtinDetectors, builtinParsers } from '@evtriage/parsers';
import { repoRoot } from '../helpers/cli.js';

const SEED_MAX_BYTES = 1024 * 1024;

/** fast-check's seed (fixed, so the suite is reproducible) and a multiplier of every property's runs. */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261204);
const FUZZ_SCALE = Math.max(1, Number(process.env['FUZZ_SCALE'] ?? 1));
const runs = (n: number) => ({ numRuns: n * FUZZ_SCALE, seed: FUZZ_SEED });

/** Real files to mutate: the repo's fixtures and sample extraction, small ones, no scripts. */
function seeds(): Buffer[] {
  const out: Buffer[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !/\.(sh|ts|mjs|md)$/.test(e.name)) {
        const st = fs.statSync(p);
        if (st.size > 0) out.push(fs.readFileSync(p).subarray(0, SEED_MAX_BYTES));
      }
    }
  };
  walk(path.join(repoRoot, 'packages/parsers/fixtures'));
  walk(path.join(repoRoot, 'examples/sample-extraction'));
  return out;
}
const SEEDS = seeds();

/** Every signature the detectors declare, as bytes at their offsets. */
const SIGNATURES: Array<{ offset: number; bytes: Buffer; fromEnd: boolean }> = builtinDetectors.flatMap((d) =>
  (d.signatures ?? []).map((s) => ({
    offset: s.offset,
    bytes: s.hex !== undefined ? Buffer.from(s.hex, 'hex') : Buffer.from(s.ascii ?? '', 'latin1'),
    fromEnd: s.fromEnd === true,
  })),
);

const randomBytes = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));
const signed = fc.tuple(fc.constantFrom(...SIGNATURES), fc.uint8Array({ maxLength: 2048 })).map(([sig, rest]) => {
  const b = Buffer.concat([Buffer.alloc(sig.fromEnd ? 0 : sig.offset), Buffer.from(rest)]);
  const body = Buffer.alloc(Math.max(b.length, sig.offset + sig.bytes.length));
  b.copy(body);
  if (sig.fromEnd) sig.bytes.copy(body, body.length - sig.bytes.length - sig.offset);
  else sig.bytes.copy(body, sig.offset);
  return body;
});
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
    count: fc.integer({ min: 1, max: 16 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('fill' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 512 }),
    value: fc.constantFrom(0x00, 0xff, 0x7f, 0x80),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
function mutate(seed: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') for (let i = 0; i < m.count; i++) b[(at + i * 7) % b.length] = m.value;
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'splice') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else b.fill(m.value, at, Math.min(b.length, at + m.length));
  }
  return b;
}
const mutated = fc
  .tuple(fc.integer({ min: 0, max: Math.max(0, SEEDS.length - 1) }), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([i, ms]) => mutate(SEEDS[i] ?? Buffer.alloc(0), ms));
const anyInput = fc.oneof(
  { arbitrary: randomBytes, weight: 1 },
  { arbitrary: signed, weight: 2 },
  { arbitrary: mutated, weight: 3 },
);

const NAMES = [
  'file.bin',
  'msgstore.db.crypt14',
  'Info.plist',
  'data.sqlite',
  'archive.zip',
  'x.tar.gz',
  'backup.ab',
  'vault.kdbx',
  'disk.img',
  'doc.pdf',
  'a',
  '.hidden',
  'Manifest.db',
];

/** A probe as the engine builds it, with a size that may lie (the file changed, or a container claims more). */
const probeArb = fc
  .tuple(anyInput, fc.constantFrom(...NAMES), fc.nat({ max: 1 << 20 }), fc.boolean())
  .map(([bytes, name, extra, lieAboutSize]): Probe => {
    const size = lieAboutSize ? bytes.length + extra : bytes.length;
    const entry: SourceEntry = { path: `fuzz/${name}`, kind: 'file', size, times: {}, depth: 0 };
    const head = bytes.subarray(0, DEFAULT_LIMITS.probeHeadBytes);
    const tail =
      size > head.length
        ? bytes.subarray(Math.max(head.length, bytes.length - DEFAULT_LIMITS.probeTailBytes))
        : new Uint8Array(0);
    return makeProbe(entry, size, head, tail, []);
  });

/** Runs one call on a mutant; a throw names what threw. (A hang is caught by the test's own timeout.) */
async function call<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${what} threw: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

const detectorCtx = {
  limits: { probeHeadBytes: DEFAULT_LIMITS.probeHeadBytes, probeTailBytes: DEFAULT_LIMITS.probeTailBytes },
};

describe('fuzz: detectors', () => {
  it('has seeds and signatures to work from', () => {
    expect(SEEDS.length).toBeGreaterThan(50);
    expect(SIGNATURES.length).toBeGreaterThan(20);
  });

  for (const detector of builtinDetectors) {
    it(`${detector.meta.id}: no exception, no hang, on random, signed and mutated inputs`, async () => {
      await fc.assert(
        fc.asyncProperty(probeArb, async (probe) => {
          await call(`detector ${detector.meta.id}`, () => detector.detect(probe, detectorCtx));
        }),
        runs(150),
      );
    });
  }
});

/** A parse context over bytes, as the engine's parse stage gives it (a SQLite copy and a decoded plist when they open). */
function contextFor(
  parser: ParserPlugin,
  bytes: Buffer,
  formatId: string,
): { ctx: ParseContext; close: () => void; diagnostics: number } {
  const probe = makeProbe(
    { path: 'fuzz/input', kind: 'file', size: bytes.length, times: {}, depth: 0 },
    bytes.length,
    bytes.subarray(0, DEFAULT_LIMITS.probeHeadBytes),
    bytes.length > DEFAULT_LIMITS.probeHeadBytes ? bytes.subarray(-DEFAULT_LIMITS.probeTailBytes) : new Uint8Array(0),
    [],
  );
  let sqlite: SqliteHandle | undefined;
  try {
    if (parser.requires?.sqlite || formatId === 'sqlite') sqlite = openSqliteCopy(bytes);
  } catch {
    // The engine records SQLITE_OPEN_FAILED and does not call parsers that need the handle.
  }
  let plist: unknown;
  try {
    if (parser.requires?.plistKeys) plist = decodePlist(bytes);
  } catch {
    plist = undefined;
  }
  const state = { diagnostics: 0 };
  const controller = new AbortController();
  const ctx: ParseContext = {
    item: {
      path: 'fuzz/input',
      kind: 'file',
      size: bytes.length,
      times: {},
      depth: 0,
      format: { id: formatId, name: formatId, extensionMismatch: false, detector: 'fuzz' },
      classification: { status: 'analysable', confidence: 0.9, certainty: 'likely', reasons: [] },
      errors: [],
    },
    probe,
    read: async (position, length) =>
      bytes.subarray(Math.max(0, position), Math.max(0, Math.min(bytes.length, position + length))),
    readAll: async (max = DEFAULT_LIMITS.parseMaxBytes) => {
      if (bytes.length > max) throw new RangeError('too large');
      return bytes;
    },
    ...(sqlite ? { sqlite } : {}),
    ...(plist !== undefined ? { plist } : {}),
    findInSource: () => [],
    readSibling: async () => undefined,
    report: () => void state.diagnostics++,
    signal: controller.signal,
  };
  return { ctx, close: () => sqlite?.close(), diagnostics: state.diagnostics };
}

/** Whether a parser's declared requirements (SQLite tables and columns, plist keys) hold for some bytes. */
function requirementsHold(parser: ParserPlugin, bytes: Buffer): boolean {
  const req = parser.requires;
  try {
    if (req?.sqlite) {
      const db = openSqliteCopy(bytes);
      try {
        const tables = db.tables();
        return Object.entries(req.sqlite.tables).every(([t, cols]) => cols.every((c) => tables.get(t)?.includes(c)));
      } finally {
        db.close();
      }
    }
    if (req?.plistKeys) {
      const v = decodePlist(bytes);
      return typeof v === 'object' && v !== null && req.plistKeys.every((k) => k in v);
    }
  } catch {
    return false;
  }
  return true;
}
/** Inputs for one parser: when real files meet its requirements, those files lightly mutated (so the parser really runs); else any input. */
function inputFor(parser: ParserPlugin): fc.Arbitrary<Buffer> {
  if (!parser.requires?.sqlite && !parser.requires?.plistKeys) return anyInput;
  const own = SEEDS.filter((s) => requirementsHold(parser, s));
  if (own.length === 0) return anyInput;
  return fc
    .tuple(fc.constantFrom(...own), fc.array(mutation, { minLength: 0, maxLength: 2 }))
    .map(([s, ms]) => mutate(s, ms));
}
const parserRuns = new Map<string, number>();

describe('fuzz: parsers', () => {
  afterAll(() => {
    // How often each parser really ran (its declared requirements matched), for the record.
    console.log(`parser calls on fuzzed input: ${[...parserRuns].map(([id, n]) => `${id} ${n}`).join(', ')}`);
    expect([...parserRuns.values()].filter((n) => n > 0).length).toBeGreaterThan(builtinParsers.length / 2);
  });
  for (const parser of builtinParsers) {
    const formats = parser.meta.formats.filter((f) => f !== '*');
    parserRuns.set(parser.meta.id, 0);
    it(`${parser.meta.id}: no exception escapes on damaged input (problems are diagnostics), no hang`, async () => {
      await fc.assert(
        fc.asyncProperty(
          inputFor(parser),
          fc.constantFrom(...(formats.length ? formats : ['unknown'])),
          async (bytes, formatId) => {
            const { ctx, close } = contextFor(parser, bytes, formatId);
            try {
              if (parser.requires?.sqlite && !ctx.sqlite) return;
              if (
                parser.requires?.plistKeys &&
                (typeof ctx.plist !== 'object' ||
                  ctx.plist === null ||
                  !parser.requires.plistKeys.every((k) => k in (ctx.plist as object)))
              )
                return;
              if (parser.requires?.sqlite) {
                const tables = ctx.sqlite!.tables();
                if (
                  !Object.entries(parser.requires.sqlite.tables).every(([t, cols]) =>
                    cols.every((c) => tables.get(t)?.includes(c)),
                  )
                )
                  return;
              }
              parserRuns.set(parser.meta.id, (parserRuns.get(parser.meta.id) ?? 0) + 1);
              await call(`parser ${parser.meta.id}`, () => parser.parse(ctx));
            } finally {
              close();
            }
          },
        ),
        runs(60),
      );
    });
  }
});

describe('fuzz: openers', () => {
  const plistSeeds = SEEDS.filter(
    (s) => s.subarray(0, 8).toString('latin1') === 'bplist00' || s.subarray(0, 40).toString('latin1').includes('<?xml'),
  );
  const sqliteSeeds = SEEDS.filter((s) => s.subarray(0, 16).toString('latin1') === 'SQLite format 3\0');

  it('decodePlist: returns or throws an ordinary Error, no hang, on mutated plists', async () => {
    expect(plistSeeds.length).toBeGreaterThan(0);
    const arb = fc
      .tuple(fc.constantFrom(...plistSeeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
      .map(([s, ms]) => mutate(s, ms));
    await fc.assert(
      fc.asyncProperty(arb, async (bytes) => {
        await call('decodePlist', () => {
          try {
            decodePlist(bytes);
          } catch (err) {
            if (!(err instanceof Error) || (err instanceof RangeError && /call stack/.test(err.message))) throw err;
          }
        });
      }),
      runs(400),
    );
  });

  it('openSqliteCopy: opens or throws an Error; every table of what opens can be counted or fails cleanly, no hang', async () => {
    expect(sqliteSeeds.length).toBeGreaterThan(0);
    const arb = fc
      .tuple(fc.constantFrom(...sqliteSeeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([s, ms]) => mutate(s, ms));
    await fc.assert(
      fc.asyncProperty(arb, async (bytes) => {
        await call('openSqliteCopy + count(*)', () => {
          let db;
          try {
            db = openSqliteCopy(bytes);
          } catch (err) {
            if (!(err instanceof Error)) throw err;
            return;
          }
          try {
            for (const table of db.tables().keys()) {
              try {
                db.get(`SELECT count(*) FROM ${quoteIdent(table)}`);
              } catch (err) {
                if (!(err instanceof Error)) throw err;
              }
            }
          } catch (err) {
            if (!(err instanceof Error)) throw err;
          } finally {
            db.close();
          }
        });
      }),
      runs(150),
    );
  });

  it('TarSource in place: lists every member or names the damage, reads what it lists or fails with an Error, no hang', async () => {
    // TARs real tools made: GNU and PAX sparse members (tar --sparse), dump directories (--listed-incremental), a
    // hard link, a directory with a size.
    const tars = [
      'gnu-sparse.tar',
      'pax-sparse-0.1.tar',
      'pax-sparse-1.0.tar',
      'incremental.tar',
      'hardlink.tar',
      'dir-with-size.tar',
    ].map((f) => fs.readFileSync(path.join(repoRoot, 'packages/core/fixtures/tar', f)));
    const arb = fc
      .tuple(fc.constantFrom(...tars), fc.array(mutation, { minLength: 1, maxLength: 6 }))
      .map(([s, ms]) => mutate(s, ms));
    await fc.assert(
      fc.asyncProperty(arb, async (bytes) => {
        await call('TarSource', async () => {
          const reader = { size: bytes.length, read: async (p: number, l: number) => bytes.subarray(p, p + l) };
          const source = new TarSource(
            { kind: 'random', reader, close: async () => {} },
            { path: 'f.tar', kind: 'tar' },
          );
          try {
            for await (const e of source.entries()) {
              if (!e.open || e.error) continue;
              try {
                const r = await e.open();
                await r.read(0, Math.min(e.size, 64 * 1024));
                await r.close();
              } catch (err) {
                if (!(err instanceof Error)) throw err;
              }
            }
          } finally {
            await source.close();
          }
        });
      }),
      runs(300),
    );
  });
});
