import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

describe('statistical fallback (fixtures made by openssl and python3 zlib)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('statistics');
  });

  it('suspects headerless ciphertext, never certain, with its figures', () => {
    const item = items.get('raw-aes-ctr.bin')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.classification.certainty).toBe('suspected');
    expect(item.classification.entropy!.shannon).toBeGreaterThan(7.9);
    expect(item.classification.entropy!.chiSquareP).toBeGreaterThan(0.001);
  });

  it('calls a headerless DEFLATE stream opaque, not encrypted: the chi-square test rejects uniform bytes', () => {
    const item = items.get('raw-deflate.bin')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.classification.entropy!.chiSquareP).toBeLessThan(0.001);
  });

  it('calls structured binary records opaque', () => {
    expect(items.get('records.bin')!.classification.status).toBe('opaque');
  });

  it('does not call a 32-byte random key encrypted: too small for statistics', () => {
    expect(items.get('tiny-key.bin')!.classification.status).toBe('opaque');
  });
});
