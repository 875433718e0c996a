import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import type { Detection, Probe } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ransomwareMarkersDetector } from './ransomware-markers.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const root = new URL('../../fixtures/ransomware-markers/', import.meta.url);
const dir = fileURLToPath(root);
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

const D = 'Users/alice/Documents';
const WANNACRY = `${D}/report.docx.WNCRY`;
const STOP = `${D}/logo.jpg.qehu`;
const RYUK = `${D}/metadata.pdf.RYK`;
const BABUK = `${D}/metadata.pdf.babyk`;
const NOTES = `${D}/notes-on-ransomware.txt`;
const RANDOM_GUID = `${D}/random-with-guid.bin`;

// Real documents (seeds/) overwritten with seeded random bytes where each family encrypts, with its published
// header or footer (fixtures/ransomware-markers/generate.sh). No malware was run.
testDetector(
  ransomwareMarkersDetector,
  {
    fixtures: root,
    valid: [
      { file: WANNACRY, format: 'wannacry-encrypted', status: 'encrypted', reasons: ['WANNACRY_HEADER'] },
      { file: STOP, format: 'stop-djvu-encrypted', status: 'encrypted', reasons: ['STOP_DJVU_FOOTER'] },
      { file: RYUK, format: 'ryuk-encrypted', status: 'encrypted', reasons: ['RYUK_HERMES_FOOTER'] },
      { file: BABUK, format: 'babuk-encrypted', status: 'encrypted', reasons: ['BABUK_FOOTER'] },
      // Bytes after the STOP/Djvu footer (fixtures/ransomware-markers/appended/make.sh): set aside and named.
      ...[
        ['logo-lf.jpg.qehu', 'TRAILING_DATA'],
        ['logo-nul.jpg.qehu', 'TRAILING_ZERO_PADDING'],
        ['logo-zpad4k.jpg.qehu', 'TRAILING_ZERO_PADDING'],
      ].map(([file, note]) => ({
        file: `appended/${file}`,
        format: 'stop-djvu-encrypted',
        status: 'encrypted' as const,
        reasons: ['STOP_DJVU_FOOTER', note!],
      })),
    ],
    invalid: [
      { file: NOTES, name: 'notes that quote every marker' },
      { file: RANDOM_GUID, name: 'random bytes ending in the STOP marker without a personal ID' },
      { file: 'appended/random-with-guid-lf.bin', name: 'the same with a line feed' },
      { file: 'appended/logo-id-cut-lf.jpg.qehu', name: 'a footer whose personal ID is cut short, then a line feed' },
      { file: 'seeds/logo.jpg', name: 'the JPEG before encryption' },
      { file: 'seeds/metadata.pdf', name: 'the PDF before encryption' },
      { file: 'seeds/OOXML.docx', name: 'the document before encryption' },
    ],
    // Left (appended/make.sh): with 2 KiB of log after it, this 16 KB file's footer lies in the probe's head, not its tail.
    ignore: ['appended/logo-text2k.jpg.qehu'],
  },
  { framework: { describe, it } },
);

describe('ransomware markers through the whole engine', () => {
  it('names the family where the JPEG detector had read a STOP victim as a picture', async () => {
    const items = await scanFixtures('ransomware-markers');
    const stop = items.get(STOP);
    expect(stop?.format?.id).toBe('stop-djvu-encrypted');
    expect(stop?.classification.status).toBe('encrypted');
    expect(stop?.encryption?.keyHint?.present).toBe('no');
    expect(stop?.encryption?.keyHint?.description).toMatch(/nomoreransom/);
    expect(items.get(WANNACRY)?.format?.id).toBe('wannacry-encrypted');
    expect(items.get(RYUK)?.format?.id).toBe('ryuk-encrypted');
    expect(items.get(BABUK)?.format?.id).toBe('babuk-encrypted');
    expect(items.get(NOTES)?.classification.status).toBe('analysable');
    expect(items.get('seeds/logo.jpg')?.format?.id).toBe('jpeg');
  });

  it('reads the fields: original size, personal ID, key blob', () => {
    const fig = (file: string) =>
      (ransomwareMarkersDetector.detect(wholeFileProbe(fixture(file)), ctx) as Detection).reasons[0]!.figures;
    expect(fig(WANNACRY)).toMatchObject({ originalBytes: 7521, type: 4 });
    expect(fig(STOP)).toMatchObject({ originalBytes: 15985 });
    expect(String(fig(STOP)?.personalId)).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(fig(RYUK)).toMatchObject({ keyBlobBytes: 268 });
  });

  it('a STOP victim larger than 150 KiB is partly encrypted: the tail is the original', () => {
    const small = fixture(STOP);
    const footer = small.subarray(small.length - 78);
    const size = 200 * 1024 + 78;
    const head = small.subarray(0, 8192);
    const tail = new Uint8Array(16384);
    tail.set(new Uint8Array(16384 - 78).fill(0x41), 0);
    tail.set(footer, 16384 - 78);
    const probe: Probe = { ...wholeFileProbe(head, 'big.jpg.qehu'), size, tail, complete: false };
    const d = ransomwareMarkersDetector.detect(probe, ctx) as Detection;
    expect(d.encryption?.scope).toBe('partial');
    expect(d.reasons[0]?.figures).toMatchObject({ encryptedBytes: 150 * 1024 - 5, originalBytes: 200 * 1024 });
  });

  it('refuses a Ryuk footer whose key blob is text, and a WannaCry header with another key length', () => {
    const ryuk = Uint8Array.from(fixture(RYUK));
    ryuk.fill(0x61, ryuk.length - 268);
    expect(ransomwareMarkersDetector.detect(wholeFileProbe(ryuk), ctx)).toBeUndefined();
    const wanna = Uint8Array.from(fixture(WANNACRY));
    wanna[9] = 2; // 512-byte key
    expect(ransomwareMarkersDetector.detect(wholeFileProbe(wanna), ctx)).toBeUndefined();
  });

  it('30,000 random buffers behind "WANACRY!" or ending in the STOP or Babuk marker are recognised by none', () => {
    let seed = 20261207;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const markers = ['{36A698B9-D67C-4E07-BE82-0EC5B14B4DF5}', 'choung dong looks like hot dog!!'];
    let hits = 0;
    for (let i = 0; i < 30_000; i++) {
      const b = new Uint8Array(300 + (i % 700));
      for (let j = 0; j < b.length; j++) b[j] = next();
      if (i % 3 === 0) b.set(Buffer.from('WANACRY!'), 0);
      else {
        const m = Buffer.from(markers[i % 3 === 1 ? 0 : 1]!);
        b.set(m, b.length - m.length);
        // Babuk's footer over text: a quoted marker, not a victim's file.
        if (i % 3 === 2) b.fill(0x20, 0, b.length - m.length);
      }
      if (ransomwareMarkersDetector.detect(wholeFileProbe(b), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('"HERMES" needs 256-300 bytes of key blob after it, and a random start before', () => {
    let seed = 7;
    const b = new Uint8Array(6000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    const at = (c: Uint8Array, after: number) => (c.set(Buffer.from('HERMES'), c.length - after - 6), c);
    expect(ransomwareMarkersDetector.detect(wholeFileProbe(at(Uint8Array.from(b), 268)), ctx)).toBeDefined();
    for (const after of [100, 255, 301, 400]) {
      expect(
        ransomwareMarkersDetector.detect(wholeFileProbe(at(Uint8Array.from(b), after)), ctx),
        String(after),
      ).toBeUndefined();
    }
    // A library that holds the word near its end (the Hermes JS engine): structured, not encrypted from the start.
    const library = Uint8Array.from(b);
    library.fill(0, 0, 4096);
    library.set(Buffer.from('\x7fELF'), 0);
    expect(ransomwareMarkersDetector.detect(wholeFileProbe(at(library, 268)), ctx)).toBeUndefined();
  });
});

describe('fuzz: ransomware-markers', () => {
  const seeds: Array<[string, Uint8Array]> = [WANNACRY, STOP, RYUK, BABUK].map((file) => [
    path.basename(file),
    fixture(file),
  ]);
  fuzzFlipCutGrow(ransomwareMarkersDetector, seeds, 20, { wholeHalf: true, ctx });
});
