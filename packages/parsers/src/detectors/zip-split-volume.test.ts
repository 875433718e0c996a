import { beforeAll, describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { zipSplitVolumeDetector } from './zip-split-volume.js';

testDetector(
  zipSplitVolumeDetector,
  {
    fixtures: new URL('../../fixtures/zip-split-volume/', import.meta.url),
    valid: [
      {
        file: 'last-volume.zip',
        format: 'zip-split-volume',
        status: 'analysable',
        reasons: ['ZIP_SPLIT_VOLUME'],
      },
      {
        file: 'last-volume-zip64.zip',
        format: 'zip-split-volume',
        status: 'analysable',
        reasons: ['ZIP_SPLIT_VOLUME'],
      },
      {
        file: 'last-volume-encrypted.zip',
        format: 'zip-split-volume-encrypted',
        status: 'encrypted',
        reasons: ['ZIP_SPLIT_VOLUME_ENCRYPTED'],
      },
    ],
    invalid: [
      { file: 'single-volume.zip', name: 'a one-volume ZIP (disk 0)' },
      {
        file: 'not-split-directory.zip',
        name: 'an end record on disk 2 whose directory offset holds no directory entry',
      },
      { file: 'pieces.zip.002', name: 'a byte-split piece with no end record' },
    ],
  },
  { framework: { describe, it } },
);

describe('split ZIP volumes through the pipeline (made by zip -s and 7z -v)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('zip-split-volume');
  });

  it('reads the last volume from its end record: disk number, directory entries, encryption bits', () => {
    const item = items.get('last-volume-encrypted.zip')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.encryption?.scheme).toBe('zipcrypto');
    const reason = item.classification.reasons.find((r) => r.code === 'ZIP_SPLIT_VOLUME_ENCRYPTED')!;
    expect(reason.figures).toMatchObject({ disk: 1, entries: 2, encryptedEntries: 2 });
    expect(items.get('last-volume-zip64.zip')!.classification.reasons[0]!.figures).toMatchObject({ zip64: true });
  });

  it('calls a byte-split piece that starts with the random end of the previous member a continuation, not a VeraCrypt volume', () => {
    const item = items.get('pieces.zip.002')!;
    expect(item.size % 512).toBe(0);
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('split-archive-volume');
    expect(item.classification.reasons[0]!.code).toBe('SPLIT_ARCHIVE_CONTINUATION');
  });
});
