import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gocryptfsDetector } from './gocryptfs.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// File contents written from the gocryptfs file format (no FUSE mount on a build machine); see fixtures/gocryptfs/generate.sh.
testDetector(
  gocryptfsDetector,
  {
    fixtures: new URL('../../fixtures/gocryptfs/', import.meta.url),
    valid: [
      {
        file: 'Y2Vh3Bk0RUwNzQ1cB0UJzg',
        format: 'gocryptfs-file',
        status: 'encrypted',
        confidence: { min: 0.85 },
        reasons: ['GOCRYPTFS_FILE_HEADER'],
        encryption: {
          scheme: 'gocryptfs',
          keyHint: { kind: 'password', lookFor: ['**/gocryptfs.conf', '**/.gocryptfs.reverse.conf'] },
        },
      },
      { file: 'status.txt', format: 'gocryptfs-file', status: 'encrypted' },
      { file: 'notes-two-blocks', format: 'gocryptfs-file', status: 'encrypted' },
      {
        // The name is the SHA-256 of the content: structure, certain.
        file: 'gocryptfs.longname.WqBJlk9ckk4dNqzcHPxEk4iIipAQjix6yaJqoFGuZlA.name',
        format: 'gocryptfs-longname',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['GOCRYPTFS_LONGNAME_HASH'],
      },
      {
        // A renamed copy: the hash no longer matches, known by its name alone.
        file: 'gocryptfs.longname.QhUr5d9FHerwEs--muUs6_80cy6JRp89c1otLwp92Cs.name',
        format: 'gocryptfs-longname',
        status: 'encrypted',
        confidence: { max: 0.85 },
        reasons: ['GOCRYPTFS_LONGNAME'],
      },
      // The same files with bytes their format does not own appended (fixtures/gocryptfs/appended/make.sh): set aside.
      {
        file: 'appended/Y2Vh3Bk0RUwNzQ1cB0UJzg',
        format: 'gocryptfs-file',
        status: 'encrypted',
        reasons: ['GOCRYPTFS_FILE_HEADER', 'TRAILING_DATA'],
      },
      {
        file: 'appended/notes-two-blocks.log',
        format: 'gocryptfs-file',
        status: 'encrypted',
        reasons: ['GOCRYPTFS_FILE_HEADER', 'TRAILING_DATA'],
      },
      {
        file: 'appended/status-padded.txt',
        format: 'gocryptfs-file',
        status: 'encrypted',
        reasons: ['GOCRYPTFS_FILE_HEADER', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/notes-two-blocks.padded',
        format: 'gocryptfs-file',
        status: 'encrypted',
        reasons: ['GOCRYPTFS_FILE_HEADER', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/gocryptfs.longname.WqBJlk9ckk4dNqzcHPxEk4iIipAQjix6yaJqoFGuZlA.name',
        format: 'gocryptfs-longname',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['GOCRYPTFS_LONGNAME_HASH', 'TRAILING_DATA'],
      },
    ],
    invalid: [
      { file: 'compressed-after-version.bin' },
      { file: 'appended/compressed-after-version.log' },
      { file: 'version-two-text.bin' },
      { file: 'wrong-size.bin' },
      { file: 'gocryptfs.conf' },
    ],
  },
  { framework: { describe, it } },
);

describe('gocryptfs long-name files through the whole engine', () => {
  it('a verified long-name file outranks the text reading of its base64', async () => {
    const items = await scanFixtures('gocryptfs');
    const item = items.get('gocryptfs.longname.WqBJlk9ckk4dNqzcHPxEk4iIipAQjix6yaJqoFGuZlA.name')!;
    expect(item.format?.id).toBe('gocryptfs-longname');
    expect(item.classification.status).toBe('encrypted');
  });

  it('files with text, zeros or a line end appended keep their verdict, the bytes named', async () => {
    const items = await scanFixtures('gocryptfs');
    for (const [path, format, code] of [
      ['appended/Y2Vh3Bk0RUwNzQ1cB0UJzg', 'gocryptfs-file', 'TRAILING_DATA'],
      ['appended/notes-two-blocks.log', 'gocryptfs-file', 'TRAILING_DATA'],
      ['appended/notes-two-blocks.padded', 'gocryptfs-file', 'TRAILING_ZERO_PADDING'],
      [
        'appended/gocryptfs.longname.WqBJlk9ckk4dNqzcHPxEk4iIipAQjix6yaJqoFGuZlA.name',
        'gocryptfs-longname',
        'TRAILING_DATA',
      ],
    ] as const) {
      const item = items.get(path)!;
      expect(item.format?.id, path).toBe(format);
      expect(item.classification.status, path).toBe('encrypted');
      expect(item.classification.reasons.map((r) => r.code)).toContain(code);
    }
    expect(items.get('appended/compressed-after-version.log')!.format?.id).not.toBe('gocryptfs-file');
  });
});
