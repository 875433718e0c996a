import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ntfsMetadataFilesDetector } from './ntfs-metadata-files.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/ntfs-metadata-files/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

// $MFT, $MFTMirr, $SDS, $I30 and the reset $LogFile read by ntfscat from a volume mkntfs made; the USN journal and
// the journal with records written from the published layouts (fixtures/ntfs-metadata-files/generate.sh).
testDetector(
  ntfsMetadataFilesDetector,
  {
    fixtures: new URL('../../fixtures/ntfs-metadata-files/', import.meta.url),
    valid: [
      { file: '$MFT', format: 'ntfs-mft', status: 'opaque', reasons: ['NTFS_MFT_RECORDS'] },
      { file: '$MFTMirr', format: 'ntfs-mft', status: 'opaque', reasons: ['NTFS_MFT_RECORDS'] },
      { file: '$LogFile', format: 'ntfs-logfile', status: 'opaque', reasons: ['NTFS_LOGFILE_RESET'] },
      { file: 'with-records/$LogFile', format: 'ntfs-logfile', status: 'opaque', reasons: ['NTFS_LOGFILE_RESTART'] },
      // Its 64 KiB of sparse zeros fill the probe's head: the name and the zeros decide.
      { file: '$UsnJrnl%3A$J', format: 'ntfs-usn-journal', status: 'opaque', reasons: ['NTFS_USN_SPARSE'] },
      { file: 'v3/$J', format: 'ntfs-usn-journal', status: 'opaque', reasons: ['NTFS_USN_RECORDS'] },
      { file: '$Secure%3A$SDS', format: 'ntfs-secure-sds', status: 'opaque', reasons: ['NTFS_SDS_ENTRIES'] },
      { file: '$I30', format: 'ntfs-index', status: 'opaque', reasons: ['NTFS_INDX_RECORDS'] },
    ],
    invalid: [
      { file: 'zeros.bin', name: 'zeros under another name' },
      { file: 'FILE-notes.txt', name: 'text starting "FILE"' },
    ],
  },
  { framework: { describe, it } },
);

describe('NTFS metadata files', () => {
  it('through the whole engine: a reset $LogFile is the NTFS journal, not a tape image', async () => {
    const items = await scanFixtures('ntfs-metadata-files');
    expect(items.get('$LogFile')?.format?.id).toBe('ntfs-logfile');
    expect(items.get('$LogFile')?.classification.status).toBe('opaque');
    expect(items.get('$MFT')?.format?.id).toBe('ntfs-mft');
  });

  it('reads the record size, the sparse start and the first security id', () => {
    const mft = ntfsMetadataFilesDetector.detect(wholeFileProbe(fixture('$MFT'), '$MFT'), ctx) as Detection;
    expect(mft.reasons[0]?.figures).toMatchObject({ recordSize: 1024 });
    const usn = ntfsMetadataFilesDetector.detect(wholeFileProbe(fixture('$UsnJrnl%3A$J'), '$J'), ctx) as Detection;
    expect(usn.reasons[0]?.figures).toEqual({ firstRecord: 65536, version: 2 });
    // Zeros alone under the journal's name: the sparse start of an export (its records lie beyond the head).
    const sparse = ntfsMetadataFilesDetector.detect(wholeFileProbe(fixture('zeros.bin'), '$J'), ctx) as Detection;
    expect(sparse.reasons[0]?.code).toBe('NTFS_USN_SPARSE');
    // 0xFF pages under another name are not claimed.
    expect(ntfsMetadataFilesDetector.detect(wholeFileProbe(fixture('$LogFile'), 'pages.bin'), ctx)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: ntfs-metadata-files', () => {
  const seeds: Array<[string, Uint8Array]> = [
    ['$MFT', fixture('$MFT').subarray(0, 4096)],
    ['$LogFile', fixture('with-records/$LogFile').subarray(0, 8192)],
    ['$J', fixture('v3/$J').subarray(0, 4096)],
    ['$Secure%3A$SDS', fixture('$Secure%3A$SDS').subarray(0, 4096)],
    ['$I30', fixture('$I30')],
  ];
  fuzzFlipCutGrow(ntfsMetadataFilesDetector, seeds, 100, { wholeHalf: true, ctx });
});
