import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import type { Detection, Probe } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ransomwarePartialDetector } from './ransomware-partial.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const root = new URL('../../fixtures/ransomware-partial/', import.meta.url);
const dir = fileURLToPath(root);
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

const D = 'Users/alice/Documents';
const PHOBOS_PDF = `${D}/git.pdf.id[1E857D00-2275].[restore@example.org].phobos`;
const LOCKBIT_ODT = `${D}/styles.odt.lockbit`;
const AKIRA_JPG = `${D}/flower.jpg.akira`;
const CONTI_PNG = `${D}/account_new_name.png.conti`;
const RANDOM_JPG = `${D}/holiday.jpg.enc`;
const ZEROED_PDF = `${D}/git-zeroed.pdf`;

/** A probe as the engine cuts it (16 KiB head, 8 KiB tail), for files larger than the head. */
function engineProbe(bytes: Uint8Array, name: string): Probe {
  const head = bytes.subarray(0, 16384);
  const tail = bytes.length > 16384 ? bytes.subarray(Math.max(16384, bytes.length - 8192)) : new Uint8Array();
  return { ...wholeFileProbe(head, name), size: bytes.length, tail, complete: bytes.length <= 16384 };
}

// Real documents with their first 4-8 KiB replaced by seeded random bytes, some with a footer
// (fixtures/ransomware-partial/generate.sh); the seeds are the documents before.
testDetector(
  ransomwarePartialDetector,
  {
    fixtures: root,
    valid: [
      {
        file: PHOBOS_PDF,
        format: 'ransomware-partially-encrypted',
        status: 'encrypted',
        reasons: ['RANSOMWARE_RANDOM_START_INTACT_END'],
      },
      {
        file: LOCKBIT_ODT,
        format: 'ransomware-partially-encrypted',
        status: 'encrypted',
        reasons: ['RANSOMWARE_RANDOM_START_INTACT_END'],
      },
      {
        file: AKIRA_JPG,
        format: 'ransomware-partially-encrypted',
        status: 'encrypted',
        reasons: ['RANSOMWARE_RANDOM_START_INTACT_END'],
      },
      {
        file: CONTI_PNG,
        format: 'ransomware-partially-encrypted',
        status: 'encrypted',
        reasons: ['RANSOMWARE_RANDOM_START_INTACT_END'],
      },
    ],
    invalid: [
      { file: RANDOM_JPG, name: 'random throughout under a JPEG name, ff d9 near its end' },
      { file: ZEROED_PDF, name: 'a PDF whose first 4 KiB were zeroed' },
      { file: 'seeds/git.pdf', name: 'the PDF before' },
      { file: 'seeds/styles.odt', name: 'the ODT before' },
      { file: 'seeds/flower.jpg', name: 'the JPEG before' },
      { file: 'seeds/account_new_name.png', name: 'the PNG before' },
    ],
  },
  { framework: { describe, it } },
);

describe('partly encrypted documents through the whole engine', () => {
  it('calls them encrypted where the PDF and ZIP readers had salvaged them and statistics said compressed', async () => {
    const items = await scanFixtures('ransomware-partial');
    for (const file of [PHOBOS_PDF, LOCKBIT_ODT, AKIRA_JPG, CONTI_PNG]) {
      expect(items.get(file)?.format?.id, file).toBe('ransomware-partially-encrypted');
      expect(items.get(file)?.encryption?.scope, file).toBe('partial');
    }
    expect(items.get(RANDOM_JPG)?.format?.id).toBe('unknown-encrypted');
    expect(items.get(ZEROED_PDF)?.classification.status).toBe('analysable');
    expect(items.get('seeds/styles.odt')?.format?.id).toBe('odt');
  });

  it('reports the footer after the intact end and how far the random start reaches, with the engine probe', () => {
    const fig = (file: string) =>
      (ransomwarePartialDetector.detect(engineProbe(fixture(file), path.basename(file)), ctx) as Detection).reasons[0]!
        .figures;
    expect(fig(PHOBOS_PDF)).toMatchObject({ appendedBytes: 178, format: 'PDF' });
    expect(fig(LOCKBIT_ODT)).toMatchObject({ appendedBytes: 0, format: 'ZIP', uniformStartBytes: 4096 });
    expect(fig(AKIRA_JPG)).toMatchObject({ appendedBytes: 512, format: 'JPEG' });
    expect(fig(CONTI_PNG)).toMatchObject({ appendedBytes: 522, format: 'PNG' });
  });

  it('needs the name to say the format: the same bytes named .bin are not claimed', () => {
    expect(ransomwarePartialDetector.detect(wholeFileProbe(fixture(LOCKBIT_ODT), 'styles.bin'), ctx)).toBeUndefined();
    expect(ransomwarePartialDetector.detect(wholeFileProbe(fixture(PHOBOS_PDF), 'git.dat'), ctx)).toBeUndefined();
  });

  it('a ZIP whose central directory does not end at its end record (moved data) is not claimed', () => {
    const odt = Uint8Array.from(fixture(LOCKBIT_ODT));
    const eocd = Buffer.from(odt).lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    odt[eocd + 16]! ^= 1; // the central directory offset
    expect(ransomwarePartialDetector.detect(wholeFileProbe(odt, 'styles.odt.lockbit'), ctx)).toBeUndefined();
  });
});

describe('fuzz: ransomware-partial', () => {
  const seeds: Array<[string, Uint8Array]> = [
    ['git.pdf.phobos', fixture(PHOBOS_PDF)],
    ['styles.odt.lockbit', fixture(LOCKBIT_ODT)],
    ['flower.jpg.akira', fixture(AKIRA_JPG)],
    ['account_new_name.png.conti', fixture(CONTI_PNG)],
  ];
  fuzzFlipCutGrow(ransomwarePartialDetector, seeds, 20, { wholeHalf: true, ctx });
});
