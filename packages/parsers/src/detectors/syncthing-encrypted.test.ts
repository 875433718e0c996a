import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { syncthingEncryptedDetector } from './syncthing-encrypted.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// An untrusted device's copy of a folder, made by two Syncthing 1.19 instances (generate.sh); near misses.
const root = new URL('../../fixtures/syncthing-encrypted/', import.meta.url).pathname;
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const encrypted = fs
  .readdirSync(path.join(root, 'untrusted'), { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.parentPath.includes('.syncthing-enc'))
  .map((d) => path.relative(root, path.join(d.parentPath, d.name)));

testDetector(
  syncthingEncryptedDetector,
  {
    fixtures: new URL('../../fixtures/syncthing-encrypted/', import.meta.url),
    valid: encrypted.map((file) => ({
      file,
      format: 'syncthing-encrypted-file',
      status: 'encrypted' as const,
      reasons: ['SYNCTHING_ENCRYPTED_TRAILER'],
      encryption: { scheme: 'syncthing-xchacha20-poly1305', keyHint: { kind: 'password' as const } },
    })),
    invalid: [
      { file: 'untrusted/.stfolder/syncthing-encryption_password_token', name: 'the folder password token (JSON)' },
      { file: 'near/count.txt', name: 'text whose last four bytes point into it' },
      { file: 'near/Q.syncthing-enc/AB/CDEFGHIJKLMNOPQRSTUV0123456789', name: 'random bytes, no trailer' },
    ],
  },
  { framework: { describe, it } },
);

describe('Syncthing untrusted-device files', () => {
  it('names every file the untrusted device stored, the trailer naming its own path', async () => {
    expect(encrypted.length).toBe(4);
    const items = await scanFixtures('syncthing-encrypted');
    for (const file of encrypted) {
      const item = items.get(file)!;
      expect(item.classification).toMatchObject({ status: 'encrypted', certainty: 'certain' });
      expect(item.classification.reasons[0]!.figures).toMatchObject({ nameIsPath: true });
    }
    expect(items.get('untrusted/.stfolder/syncthing-encryption_password_token')!.format?.id).toBe('json');
    expect(items.get('near/count.txt')!.classification.status).not.toBe('encrypted');
  });

  it('keeps the verdict when the file is copied out of its folder, and refuses a trailer whose size disagrees', () => {
    const file = encrypted[0]!;
    const bytes = fs.readFileSync(path.join(root, file));
    const moved = syncthingEncryptedDetector.detect(wholeFileProbe(bytes, 'copy.bin'), ctx);
    expect(moved).toMatchObject({ format: { id: 'syncthing-encrypted-file' } });
    expect((moved as { reasons: Array<{ figures?: object }> }).reasons[0]!.figures).toMatchObject({
      nameIsPath: false,
    });
    // One more byte of data before the trailer: its recorded size no longer matches.
    const shifted = Buffer.concat([Buffer.from([0]), bytes]);
    expect(syncthingEncryptedDetector.detect(wholeFileProbe(shifted, 'x'), ctx)).toBeUndefined();
  });

  it('names a file whose trailer lies beyond the tail by its encrypted path only', () => {
    const big = Buffer.concat([seededBytes(3, 40_000), Buffer.from([0, 0, 0x4e, 0x20])]);
    const probe = (p: string) => ({
      ...wholeFileProbe(big.subarray(0, 16384), path.basename(p)),
      path: p,
      logicalPath: p,
      size: big.length,
      tail: big.subarray(big.length - 8192),
      complete: false,
    });
    expect(syncthingEncryptedDetector.detect(probe('S/O.syncthing-enc/8H/PANTS7346CN8V09H2C'), ctx)).toMatchObject({
      reasons: [{ code: 'SYNCTHING_ENCRYPTED_PATH' }],
      confidence: 0.8,
    });
    expect(syncthingEncryptedDetector.detect(probe('S/other/PANTS7346CN8V09H2C'), ctx)).toBeUndefined();
  });
});
