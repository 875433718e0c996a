import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { unityAssetsDetector, unityResourceStreamDetector } from './unity-assets.js';
import { decodeLz4Block } from './lz4-decode.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { damagedFixtureCopies, wholeFileProbe } from './probe.test-helper.js';

// Fixtures: ../../fixtures/unity-assets/ (written from the published layouts by ../game-archives/make-layouts.py,
// the LZ4 blocks by python3-lz4 and the LZMA table by Python's lzma).

testDetector(
  unityAssetsDetector,
  {
    fixtures: new URL('../../fixtures/unity-assets/', import.meta.url),
    valid: [
      { file: 'unityfs-lz4.unity3d', format: 'unity-asset-bundle', status: 'opaque', reasons: ['UNITY_BUNDLE_TABLE'] },
      { file: 'unityfs-v7.bundle', format: 'unity-asset-bundle', status: 'opaque', reasons: ['UNITY_BUNDLE_TABLE'] },
      { file: 'unityfs-cut.ab', format: 'unity-asset-bundle', status: 'opaque', reasons: ['UNITY_BUNDLE_TABLE'] },
      // An LZMA table is decoded (its start), not walked.
      {
        file: 'unityfs-lzma.unity3d',
        format: 'unity-asset-bundle',
        status: 'opaque',
        reasons: ['UNITY_BUNDLE_HEADER'],
      },
      {
        file: 'sharedassets0.assets',
        format: 'unity-serialized-file',
        status: 'opaque',
        reasons: ['UNITY_SERIALIZED_HEADER'],
      },
      { file: 'unityweb.unity3d', format: 'unity-asset-bundle', status: 'opaque', reasons: ['UNITY_BUNDLE_HEADER'] },
      { file: 'level0', format: 'unity-serialized-file', status: 'opaque', reasons: ['UNITY_SERIALIZED_HEADER'] },
      { file: 'global-metadata.dat', format: 'il2cpp-metadata', status: 'opaque', reasons: ['IL2CPP_METADATA_HEADER'] },
    ],
    invalid: [{ file: 'not-unity.bin', name: 'UnityFS magic with sizes that disagree with the file' }],
  },
  { framework: { describe, it } },
);

testDetector(
  unityResourceStreamDetector,
  {
    fixtures: new URL('../../fixtures/unity-resource-stream/', import.meta.url),
    valid: [
      {
        file: 'sharedassets0.assets.resS',
        format: 'unity-resource-stream',
        status: 'opaque',
        reasons: ['UNITY_RESS_NAME'],
      },
      {
        file: 'CAB-5d2f0e6a8f1b4c3d9e7a6b5c4d3e2f10.resS',
        format: 'unity-resource-stream',
        status: 'opaque',
        reasons: ['UNITY_RESS_NAME'],
      },
    ],
    invalid: [
      { file: 'notes.resS', name: 'text under the suffix' },
      { file: 'texture.bin', name: 'the same bytes without the name' },
    ],
  },
  { framework: { describe, it } },
);

describe('Unity resource streams through the whole engine', () => {
  it('are named by their suffix where the statistics saw ciphertext', async () => {
    const items = await scanFixtures('unity-resource-stream');
    expect(items.get('sharedassets0.assets.resS')!.classification.status).toBe('opaque');
    expect(items.get('sharedassets0.assets.resS')!.format?.id).toBe('unity-resource-stream');
    // Without the name nothing says what the bytes are: the statistics decide, as before.
    expect(items.get('texture.bin')!.format?.id).not.toBe('unity-resource-stream');
  });
});

describe('Unity bundles through the whole engine', () => {
  it('are named by their block table, not called encrypted', async () => {
    const items = await scanFixtures('unity-assets');
    const status = (file: string) => [items.get(file)!.format?.id, items.get(file)!.classification.status];
    // The LZ4-compressed bundles read as random: the statistics called them encrypted before.
    expect(status('unityfs-lz4.unity3d')).toEqual(['unity-asset-bundle', 'opaque']);
    expect(status('unityfs-v7.bundle')).toEqual(['unity-asset-bundle', 'opaque']);
    expect(items.get('unityfs-lz4.unity3d')!.classification.reasons[0]?.figures).toMatchObject({
      compression: 'LZ4HC',
      blocks: 1,
      files: 1,
      truncated: false,
    });
    expect(items.get('unityfs-cut.ab')!.classification.reasons[0]?.figures).toMatchObject({ truncated: true });
    expect(status('sharedassets0.assets')).toEqual(['unity-serialized-file', 'opaque']);
    expect(items.get('not-unity.bin')!.classification.status).not.toBe('encrypted');
  });
});

describe('decodeLz4Block', () => {
  it('decodes overlapping matches and refuses offsets before the output', () => {
    // Literal "ab", then a match of 6 at offset 2 (token 0x22: 2 literals, match 2+4), then the last literal "c".
    const block = Uint8Array.from([0x22, 0x61, 0x62, 0x02, 0x00, 0x10, 0x63]);
    expect(Buffer.from(decodeLz4Block(block, 9)!).toString()).toBe('abababab'.slice(0, 8) + 'c');
    expect(decodeLz4Block(Uint8Array.from([0x22, 0x61, 0x62, 0x05, 0x00, 0x10, 0x63]), 9)).toBeUndefined();
    expect(decodeLz4Block(block, 8)).toBeUndefined();
  });
});

describe('unityAssetsDetector on damaged input', () => {
  it('never throw on truncated or bit-flipped copies of every fixture', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 } };
    let tried = 0;
    for (const [name, copy] of damagedFixtureCopies(new URL('../../fixtures/unity-assets/', import.meta.url))) {
      expect(() => unityAssetsDetector.detect(wholeFileProbe(copy, name), ctx)).not.toThrow();
      tried++;
    }
    expect(tried).toBeGreaterThan(1000);
  });
});
