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

describe('file-type leaves GZIP to the archives detector and the gzip container', () => {
  it('does not inflate a gzip stream made by gzip(1)', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const fs = await import('node:fs');
    const bytes = fs.readFileSync(new URL('../../fixtures/archives/a.txt.gz', import.meta.url));
    const probe = {
      path: 'a.txt.gz',
      logicalPath: 'a.txt.gz',
      name: 'a.txt.gz',
      extension: 'gz',
      size: bytes.length,
      head: bytes,
      tail: new Uint8Array(0),
      samples: [],
      complete: true,
    };
    expect(
      await fileTypeDetector.detect(probe, { limits: {} as never, signal: new AbortController().signal }),
    ).toBeUndefined();
    const items = await scanFixtures('archives');
    expect(items.get('a.txt.gz')!.format).toMatchObject({ id: 'gzip', detector: 'archives' });
  });
});

describe('file-type: the other names a type is known by', () => {
  it('knows compressed tarballs by their short extensions (.tbz2, .txz made by bzip2 and xz)', async () => {
    const items = await scanFixtures('file-type');
    expect(items.get('notes.tbz2')!.format).toMatchObject({ id: 'bzip2', extensionMismatch: false });
    expect(items.get('notes.txz')!.format).toMatchObject({ id: 'xz', extensionMismatch: false });
    // The same content under a name no compressor uses is still flagged.
    expect(items.get('photo-named.txt')!.format).toMatchObject({ id: 'jpeg', extensionMismatch: true });
  });
});
