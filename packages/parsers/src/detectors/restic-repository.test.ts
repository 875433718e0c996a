import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { resticRepositoryDetector } from './restic-repository.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// A repository made by restic 0.14 (packs, index, snapshot); near misses (generate.sh).
const root = new URL('../../fixtures/restic-repository/', import.meta.url).pathname;
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const files = (dir: string): string[] =>
  fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)));

// Object names are the SHA-256 of bytes restic wrote with fresh IVs, so the cases are listed from the folder.
const nearMiss = (f: string) => /\/(ab0+|e+)$/.test(f);
testDetector(
  resticRepositoryDetector,
  {
    fixtures: new URL('../../fixtures/restic-repository/', import.meta.url),
    valid: files('repo')
      .filter((f) => !nearMiss(f))
      .map((file) => ({
        file,
        format: 'restic-object',
        status: 'encrypted' as const,
        reasons: ['RESTIC_OBJECT_HASH'],
      })),
    invalid: files('repo')
      .filter(nearMiss)
      .map((file) => ({ file, name: 'random bytes not named by their SHA-256, or text, under an object name' })),
  },
  { framework: { describe, it } },
);

describe('restic repository objects', () => {
  it('names every pack, index and snapshot restic wrote, their SHA-256 checked against the name', async () => {
    const items = await scanFixtures('restic-repository');
    const real = files('repo').filter((f) => !nearMiss(f));
    expect(real.length).toBe(4);
    for (const file of real) {
      const item = items.get(file)!;
      expect(item.format).toMatchObject({ id: 'restic-object', detector: 'restic-repository' });
      expect(item.classification).toMatchObject({ status: 'encrypted', certainty: 'certain' });
      expect(item.classification.reasons[0]!.code).toBe('RESTIC_OBJECT_HASH');
      expect(item.encryption).toMatchObject({ scheme: 'restic-aes-256-ctr-poly1305', keyHint: { kind: 'password' } });
    }
    expect(
      items.get(real.find((f) => f.startsWith('repo/snapshots/'))!)!.classification.reasons[0]!.figures,
    ).toMatchObject({
      kind: 'snapshot',
    });
  });

  it('refuses random bytes whose SHA-256 is not their name, and text under an object name', async () => {
    const items = await scanFixtures('restic-repository');
    const random = files('repo').find((f) => /\/ab0+$/.test(f))!;
    const text = files('repo').find((f) => /\/e+$/.test(f))!;
    expect(items.get(random)!.format?.id).not.toBe('restic-object');
    expect(items.get(text)!.format?.id).toBe('text');
  });

  it('needs the repository layout: the same bytes elsewhere, or a pack outside the folder its name starts with, are not named', () => {
    const bytes = seededBytes(5, 4000);
    const id = 'ab'.padEnd(64, '1');
    const probe = (p: string) => ({
      ...wholeFileProbe(bytes, path.basename(p)),
      path: p,
      logicalPath: p,
      size: 20_000,
      complete: false,
    });
    expect(resticRepositoryDetector.detect(probe(`repo/data/ab/${id}`), ctx)).toMatchObject({
      format: { id: 'restic-object' },
    });
    expect(resticRepositoryDetector.detect(probe(`repo/data/cd/${id}`), ctx)).toBeUndefined();
    expect(resticRepositoryDetector.detect(probe(`repo/other/${id}`), ctx)).toBeUndefined();
  });
});
