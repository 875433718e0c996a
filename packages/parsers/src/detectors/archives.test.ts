import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

describe('archives detector (fixtures made by zip, tar and gzip)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('archives');
  });

  it.each([
    ['archive.zip', 'zip'],
    ['empty.zip', 'zip'],
    ['archive.tar', 'tar'],
    ['a.txt.gz', 'gzip'],
    ['renamed-archive.dat', 'zip'],
  ])('%s is an analysable %s container', (name, id) => {
    const item = items.get(name)!;
    expect(item.format?.id).toBe(id);
    expect(item.classification.status).toBe('analysable');
  });

  it('does not believe the encryption bit of a damaged local header (unused flag bits set, unknown method)', () => {
    const item = items.get('damaged-header.zip')!;
    expect(item.format?.id).toBe('zip');
    expect(item.classification.status).not.toBe('encrypted');
  });
});
