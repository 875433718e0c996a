import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { statisticsDetector } from '../detectors/statistics.js';
import { deepSignaturesParser } from './deep-signatures.js';

// The statistical fallback calls these unrecognised binary; the parser looks past the probe.
testParser(
  deepSignaturesParser,
  {
    fixtures: new URL('../../fixtures/deep-signatures/', import.meta.url),
    detectors: [statisticsDetector],
    valid: [
      { file: 'image.iso', format: 'iso9660', status: 'analysable', details: { volumeDescriptor: 'CD001' } },
      {
        file: 'padded-archive.bin',
        format: '7z',
        status: 'analysable',
        details: { embedded: '7z', embeddedAt: 40960 },
      },
      // libmagic's rules over the first 96 KiB: the btrfs superblock at 64 KiB.
      { file: 'btrfs-head.img', format: 'btrfs', status: 'analysable', details: { libmagicBytes: 98304 } },
    ],
    invalid: [
      { file: 'zeros.bin', format: 'zero-filled', diagnostics: [] },
      // libmagic names an OpenPGP key there: words random bytes also produce, so not a recognition.
      { file: 'pgp-key-padded.bin', format: 'binary-unknown', diagnostics: [] },
    ],
  },
  { framework: { describe, it } },
);
