import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import type { Detection, DetectorPlugin } from '@evtriage/core/contract';
import { appleAppFilesDetector } from './apple-app-files.js';
import { appleFirmwareDetector } from './apple-firmware.js';
import { berkeleyDbDetector } from './berkeley-db.js';
import { encryptionCliFilesDetector } from './encryption-cli-files.js';
import { firebirdDetector } from './firebird.js';
import { gameConsolesDetector } from './game-consoles.js';
import { innodbDetector } from './innodb.js';
import { lastpassDetector } from './lastpass.js';
import { linuxPasswordStoresDetector } from './linux-password-stores.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Structures that say where they end (a length, a chain of records, whole pages), followed by bytes they do not own:
// each plugin's appended/make.sh writes its real fixture with a line feed, a NUL, zeros to the next 4 KiB and 2 KiB
// of log lines appended, and one look-alike that must stay refused (a cut structure, binary bytes appended).

const fixtures = (plugin: string) => new URL(`../../fixtures/${plugin}/appended/`, import.meta.url);

const ctx = { limits: DEFAULT_LIMITS };

/** The detector's verdict on a fixture held whole (one detection; these detectors give one). */
function run(detector: DetectorPlugin, plugin: string, file: string): Detection | undefined {
  const bytes = new Uint8Array(fs.readFileSync(new URL(file, fixtures(plugin))));
  const result = detector.detect(wholeFileProbe(bytes, file), ctx);
  if (result instanceof Promise) throw new Error('these detectors answer synchronously');
  return Array.isArray(result) ? (result as readonly Detection[])[0] : (result as Detection | undefined);
}

const zero = 'TRAILING_ZERO_PADDING';
const data = 'TRAILING_DATA';

const cases: {
  plugin: string;
  detector: DetectorPlugin;
  format: string;
  taken: [file: string, note: string | undefined][];
  refused: string[];
}[] = [
  {
    plugin: 'lastpass',
    detector: lastpassDetector,
    format: 'lastpass-vault',
    taken: [
      ['vault-lf.blob', data],
      ['vault-nul.blob', zero],
      ['vault-zpad4k.blob', zero],
      ['vault-text2k.blob', data],
    ],
    refused: ['vault-cut.blob'],
  },
  {
    plugin: 'linux-password-stores',
    detector: linuxPasswordStoresDetector,
    format: 'yapet',
    taken: [
      ['yapet2-lf.pet', data],
      ['yapet2-nul.pet', zero],
      ['yapet2-zpad4k.pet', zero],
      ['yapet2-text2k.pet', data],
    ],
    refused: ['yapet2-cut.pet'],
  },
  {
    plugin: 'game-consoles',
    detector: gameConsolesDetector,
    format: 'nintendo-3ds-cia',
    taken: [
      ['game-lf.cia', data],
      ['game-nul.cia', zero],
      ['game-zpad4k.cia', zero],
      ['game-text2k.cia', data],
    ],
    refused: ['game-binary.cia'],
  },
  {
    plugin: 'encryption-cli-files',
    detector: encryptionCliFilesDetector,
    format: 'volume-key-escrow',
    taken: [
      ['escrow-wrapped-lf.pkt', data],
      ['escrow-wrapped-nul.pkt', zero],
      ['escrow-wrapped-zpad4k.pkt', zero],
      ['escrow-wrapped-text2k.pkt', data],
    ],
    refused: ['escrow-wrapped-cut.pkt'],
  },
  {
    plugin: 'apple-firmware',
    detector: appleFirmwareDetector,
    format: 'im4p-encrypted',
    taken: [
      ['iBoot-lf.d10.RELEASE.im4p', data],
      ['iBoot-nul.d10.RELEASE.im4p', zero],
      ['iBoot-zpad4k.d10.RELEASE.im4p', zero],
      ['iBoot-text2k.d10.RELEASE.im4p', data],
    ],
    refused: ['iBoot-cut.im4p'],
  },
  {
    plugin: 'apple-app-files',
    detector: appleAppFilesDetector,
    format: 'apple-fairplay-sinf',
    taken: [
      ['Sample-lf.sinf', data],
      ['Sample-nul.sinf', zero],
      ['Sample-zpad4k.sinf', zero],
      ['Sample-text2k.sinf', data],
    ],
    refused: ['Sample-cut.sinf'],
  },
  {
    plugin: 'berkeley-db',
    detector: berkeleyDbDetector,
    format: 'berkeley-db-log-encrypted',
    // The named log is the first 8 KiB of a 10 MiB log, cut inside its fifth record (which claims bytes to 8,704):
    // a line feed, a NUL or zeros to 12 KiB fall inside that record's length and are no bytes after the records
    // (taken, as before, with no note); 2 KiB of text runs 1,536 bytes past it (named).
    taken: [
      ['log-lf.0000000001', undefined],
      ['log-nul.0000000001', undefined],
      ['log-zpad4k.0000000001', undefined],
      ['log-text2k.0000000001', data],
      ['log-header-renamed-lf.bin', data],
      ['log-header-renamed-text2k.bin', data],
    ],
    refused: ['log-header-cut.bin'],
  },
  {
    // Whole pages: one line end, NULs short of a page or 32 and more text bytes are set aside (wholePagesEnd); the
    // header page ends in zeros, so one NUL after it is no byte appended that can be told, and a page cut short (its
    // binary header) is no text.
    plugin: 'firebird',
    detector: firebirdDetector,
    format: 'firebird-database-encrypted',
    taken: [
      ['encrypted-lf.fdb', data],
      ['encrypted-zpad4k.fdb', undefined],
      ['encrypted-text2k.fdb', data],
    ],
    refused: ['encrypted-byte.fdb', 'encrypted-nul.fdb', 'encrypted-partial-page.fdb'],
  },
  {
    plugin: 'innodb',
    detector: innodbDetector,
    format: 'innodb-tablespace-encrypted',
    taken: [
      ['encrypted-lf.ibd', data],
      ['encrypted-nul.ibd', zero],
      ['encrypted-zpad4k.ibd', zero],
      ['encrypted-text2k.ibd', data],
    ],
    refused: ['encrypted-byte.ibd', 'encrypted-partial-page.ibd'],
  },
];

describe('structures followed by bytes they do not own (appended/make.sh)', () => {
  for (const c of cases) {
    describe(c.plugin, () => {
      for (const [file, note] of c.taken) {
        it(`${file}: ${c.format}${note ? `, ${note}` : ''}`, () => {
          const d = run(c.detector, c.plugin, file);
          expect(d?.format.id).toBe(c.format);
          const codes = d?.reasons.map((r) => r.code) ?? [];
          if (note) {
            expect(codes).toContain(note);
            const reason = d!.reasons.find((r) => r.code === note)!;
            const figure = reason.figures?.trailingBytes ?? reason.figures?.zeroPaddingBytes;
            expect(figure).toBeGreaterThan(0);
          } else {
            expect(codes).not.toContain(data);
          }
        });
      }
      for (const file of c.refused)
        it(`${file}: refused`, () => {
          const d = run(c.detector, c.plugin, file);
          expect(d?.format.id).not.toBe(c.format);
        });
    });
  }
});
