import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsMemoryFilesDetector } from './windows-memory-files.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/windows-memory-files/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

// Built from the published layouts (fixtures/windows-memory-files/generate.sh).
testDetector(
  windowsMemoryFilesDetector,
  {
    fixtures: new URL('../../fixtures/windows-memory-files/', import.meta.url),
    valid: [
      { file: 'hiberfil.sys', format: 'windows-hibernation-file', status: 'opaque', reasons: ['HIBERNATION_HEADER'] },
      {
        file: 'resumed/hiberfil.sys',
        format: 'windows-hibernation-file',
        status: 'opaque',
        reasons: ['HIBERNATION_FILE_NAME'],
      },
      { file: 'pagefile.sys', format: 'windows-paging-file', status: 'opaque', reasons: ['WINDOWS_PAGING_FILE'] },
      { file: 'swapfile.sys', format: 'windows-paging-file', status: 'opaque', reasons: ['WINDOWS_PAGING_FILE'] },
      // A line feed after the whole pages (appended/make.sh): set aside, not a suspected volume.
      {
        file: 'appended/pagefile.sys',
        format: 'windows-paging-file',
        status: 'opaque',
        reasons: ['WINDOWS_PAGING_FILE', 'TRAILING_DATA'],
      },
    ],
    invalid: [{ file: 'wake-up.txt', name: 'text starting "wake"' }],
  },
  { framework: { describe, it } },
);

describe('Windows memory files through the whole engine', () => {
  it('a random first page of a paging file is memory, not a VeraCrypt volume; hiberfil.sys is not ciphertext', async () => {
    const items = await scanFixtures('windows-memory-files');
    for (const file of ['pagefile.sys', 'swapfile.sys', 'hiberfil.sys', 'resumed/hiberfil.sys']) {
      expect(items.get(file)?.classification.status, file).toBe('opaque');
      expect(items.get(file)?.format?.detector, file).toBe('windows-memory-files');
    }
  });

  it('the header alone tells a renamed hibernation file; the name alone is needed for "RSTR" and zeroed pages', () => {
    const hib = fixture('hiberfil.sys');
    expect(windowsMemoryFilesDetector.detect(wholeFileProbe(hib, 'copy.bin'), ctx)).toMatchObject({
      format: { id: 'windows-hibernation-file' },
      confidence: 0.95,
    });
    // An NTFS $LogFile restart page also starts "RSTR".
    const rstr = Uint8Array.from(hib);
    rstr.set(Buffer.from('RSTR'), 0);
    expect(windowsMemoryFilesDetector.detect(wholeFileProbe(rstr, '$LogFile'), ctx)).toBeUndefined();
    expect(windowsMemoryFilesDetector.detect(wholeFileProbe(rstr, 'hiberfil.sys'), ctx)).toMatchObject({
      reasons: [{ code: 'HIBERNATION_HEADER' }],
    });
    expect(windowsMemoryFilesDetector.detect(wholeFileProbe(fixture('resumed/hiberfil.sys'), 'x.bin'), ctx)).toBe(
      undefined,
    );
  });

  it('refuses a paging-file name on a file that is not whole pages', () => {
    const cut = fixture('pagefile.sys').subarray(0, 4096 * 3 + 100);
    expect(windowsMemoryFilesDetector.detect(wholeFileProbe(cut, 'pagefile.sys'), ctx)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: windows-memory-files', () => {
  const seeds: Array<[string, Uint8Array]> = ['hiberfil.sys', 'pagefile.sys', 'resumed/hiberfil.sys'].map((file) => [
    path.basename(file),
    fixture(file).subarray(0, 16384),
  ]);
  fuzzFlipCutGrow(windowsMemoryFilesDetector, seeds, 100, { wholeHalf: true, ctx });
});
