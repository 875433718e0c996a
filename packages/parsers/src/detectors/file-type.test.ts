import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

describe('file-type fallback (fixtures made by netpbm)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('file-type');
  });

  it('identifies images through file-type, with the MIME type', () => {
    expect(items.get('photo.jpg')!.format).toMatchObject({ id: 'jpeg', mime: 'image/jpeg', detector: 'file-type' });
    expect(items.get('image.png')!.format).toMatchObject({ id: 'png', mime: 'image/png' });
    expect(items.get('photo.jpg')!.classification.status).toBe('analysable');
  });

  it('decides by content when the extension lies', () => {
    expect(items.get('photo-named.txt')!.format?.id).toBe('jpeg');
  });
});
