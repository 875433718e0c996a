import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ostreeObjectsDetector } from './ostree-objects.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/ostree-objects/', import.meta.url);
const objects = fs
  .readdirSync(new URL('repo/objects/', fixtures), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.includes('.'))
  .map((name) => `repo/objects/${name.replaceAll('\\', '/')}`)
  .sort();
const byKind = (kind: string): string => objects.find((name) => name.endsWith(`.${kind}`))!;
const damaged = `damaged/objects/00/${'0'.repeat(62)}.dirtree`;

// Made by ostree 2022.7 (fixtures/ostree-objects/generate.sh): an archive-mode repository as flatpak keeps.
testDetector(
  ostreeObjectsDetector,
  {
    fixtures,
    valid: objects.map((file) => ({
      file,
      format: `ostree-${file.endsWith('.filez') ? 'content' : file.slice(file.lastIndexOf('.') + 1)}`,
      status: 'opaque' as const,
      reasons: ['OSTREE_OBJECT'],
    })),
    invalid: [{ file: damaged, name: 'a dirtree whose bytes do not hash to its name' }],
  },
  { framework: { describe, it } },
);

describe('OSTree objects through the whole engine', () => {
  it('names every object and calls none encrypted (dirtrees are mostly binary checksums)', async () => {
    const items = await scanFixtures('ostree-objects');
    expect(objects.length).toBe(10);
    for (const name of objects) {
      const item = items.get(name);
      expect(item?.format?.id, name).toMatch(/^ostree-/);
      expect(item?.classification.status, name).toBe('opaque');
    }
    const verified = items.get(byKind('dirtree'))?.classification.reasons.find((r) => r.code === 'OSTREE_OBJECT');
    expect(verified?.figures?.checksumVerified).toBe(true);
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: ostree-objects', () => {
  fuzzFlipCutGrow(
    ostreeObjectsDetector,
    objects.map((name) => [name, fs.readFileSync(new URL(name, fixtures))] as const),
    50,
  );
});
