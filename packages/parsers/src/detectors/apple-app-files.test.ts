import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleAppFilesDetector } from './apple-app-files.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Written from the published layouts (fixtures/apple-app-files/generate.py): no Debian tool writes them.
testDetector(
  appleAppFilesDetector,
  {
    fixtures: new URL('../../fixtures/apple-app-files/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/Sample-lf.sinf',
        format: 'apple-fairplay-sinf',
        status: 'encrypted',
        reasons: ['FAIRPLAY_SINF_BOXES', 'TRAILING_DATA'],
      },
      {
        file: 'appended/Sample-nul.sinf',
        format: 'apple-fairplay-sinf',
        status: 'encrypted',
        reasons: ['FAIRPLAY_SINF_BOXES', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/Sample-text2k.sinf',
        format: 'apple-fairplay-sinf',
        status: 'encrypted',
        reasons: ['FAIRPLAY_SINF_BOXES', 'TRAILING_DATA'],
      },
      {
        file: 'appended/Sample-zpad4k.sinf',
        format: 'apple-fairplay-sinf',
        status: 'encrypted',
        reasons: ['FAIRPLAY_SINF_BOXES', 'TRAILING_ZERO_PADDING'],
      },
      { file: 'Main.nib', format: 'apple-nib-archive', status: 'opaque', reasons: ['NIB_ARCHIVE_SECTIONS'] },
      { file: 'default.metallib', format: 'apple-metallib', status: 'opaque', reasons: ['METALLIB_HEADER'] },
      {
        file: 'SC_Info/Sample.sinf',
        format: 'apple-fairplay-sinf',
        status: 'encrypted',
        reasons: ['FAIRPLAY_SINF_BOXES'],
        encryption: { scheme: 'fairplay-sinf', keyHint: { kind: 'hardware', present: 'no' } },
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/Sample-cut.sinf' },
      { file: 'cut.nib', name: 'a NIB header whose sections lie past the end of the file' },
      { file: 'resized.metallib', name: "a metallib whose size field is not the file's" },
    ],
  },
  { framework: { describe, it } },
);

describe('iOS app bundle files through the whole engine', () => {
  it('names what was unknown binary or statistically random', async () => {
    const items = await scanFixtures('apple-app-files');
    expect(items.get('Main.nib')?.format?.id).toBe('apple-nib-archive');
    expect(items.get('default.metallib')?.classification.status).toBe('opaque');
    expect(items.get('SC_Info/Sample.sinf')?.classification.status).toBe('encrypted');
    expect(items.get('resized.metallib')?.format?.id).not.toBe('apple-metallib');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-app-files', () => {
  fuzzFlipCutGrow(
    appleAppFilesDetector,
    ['Main.nib', 'default.metallib', 'SC_Info/Sample.sinf'].map(
      (name) => ['x', fs.readFileSync(new URL(`../../fixtures/apple-app-files/${name}`, import.meta.url))] as const,
    ),
    20,
  );
});
