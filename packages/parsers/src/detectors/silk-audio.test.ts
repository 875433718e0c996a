import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { silkAudioDetector } from './silk-audio.js';

const voice = 'MicroMsg/7c4a8d09ca3762af61e59520943dc264/voice2/3a/7f';

testDetector(
  silkAudioDetector,
  {
    fixtures: new URL('../../fixtures/silk-audio/', import.meta.url),
    valid: [
      // WeChat voice messages (0x02 before the header, no end mark), one cut short.
      {
        file: `${voice}/msg_061023112026a8f1b2c3d4e5f6a7.amr`,
        format: 'silk-audio',
        status: 'analysable',
        confidence: 0.95,
        reasons: ['SILK_V3_PACKETS'],
      },
      {
        file: `${voice}/msg_071544112026b9e2c3d4e5f6a7b8.amr`,
        format: 'silk-audio',
        status: 'analysable',
        confidence: 0.85,
        reasons: ['SILK_V3_PACKETS'],
      },
      // The Skype SDK's own file, ended by a length of -1.
      { file: 'skype/voicemail.silk', format: 'silk-audio', status: 'analysable', reasons: ['SILK_V3_PACKETS'] },
    ],
    invalid: [{ file: 'look-alikes/silk-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('silk-audio on edge cases', () => {
  const probeOf = (bytes: Uint8Array, size = bytes.length) => ({
    path: 'x.amr',
    logicalPath: 'x.amr',
    name: 'x.amr',
    extension: 'amr',
    size,
    head: bytes,
    tail: new Uint8Array(0),
    samples: [],
    complete: size === bytes.length,
  });
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
  const header = Buffer.from('\x02#!SILK_V3', 'latin1');

  it('takes a header with no packets (a message cancelled at once) and refuses a -1 before the end', () => {
    expect(silkAudioDetector.detect(probeOf(header), ctx)).toMatchObject({ format: { id: 'silk-audio' } });
    const early = Buffer.concat([header, Buffer.from([0xff, 0xff, 1, 2, 3])]);
    expect(silkAudioDetector.detect(probeOf(early), ctx)).toBeUndefined();
  });

  it('needs three packets in the bytes read when the file is longer', () => {
    const two = Buffer.concat([header, Buffer.from([3, 0, 1, 2, 3, 2, 0, 9, 9])]);
    expect(silkAudioDetector.detect(probeOf(two, 100_000), ctx)).toBeUndefined();
    const three = Buffer.concat([two, Buffer.from([1, 0, 7])]);
    expect(silkAudioDetector.detect(probeOf(three, 100_000), ctx)).toMatchObject({ status: 'analysable' });
  });
});
