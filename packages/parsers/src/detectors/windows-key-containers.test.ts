import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsKeyContainersDetector } from './windows-key-containers.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/windows-key-containers/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
const MACHINE_GUID = 'f2d5c1a7-3e4b-4c6d-9a8b-1c2d3e4f5a6b';
const USER = `user-rsa/AppData/Roaming/Microsoft/Crypto/RSA/S-1-5-21-1004336348-1177238915-682003330-1001/8c2f9e0d1b7a4e6f3c5d2a1b0e9f8d7c_${MACHINE_GUID}`;
const MACHINE = `machine-rsa/ProgramData/Microsoft/Crypto/RSA/MachineKeys/f686aace6942fb7f7ceb231212eef4a4_${MACHINE_GUID}`;
const CNG = `cng/ProgramData/Microsoft/Crypto/Keys/de7cf8a7901d2ad13e5c67c29e5d1662_${MACHINE_GUID}`;

// Written from mimikatz's published layouts with real RSA moduli (fixtures/windows-key-containers/generate.sh).
testDetector(
  windowsKeyContainersDetector,
  {
    fixtures: new URL('../../fixtures/windows-key-containers/', import.meta.url),
    valid: [
      {
        file: USER,
        format: 'capi-private-key',
        status: 'encrypted',
        reasons: ['CAPI_KEY_DPAPI'],
        encryption: { scheme: 'dpapi' },
      },
      { file: MACHINE, format: 'capi-private-key', status: 'encrypted', reasons: ['CAPI_KEY_DPAPI'] },
      { file: CNG, format: 'cng-private-key', status: 'encrypted', reasons: ['CNG_KEY_DPAPI'] },
      // Bytes after the fields the lengths name are set aside and named (appended/make.sh; lengths-off.bin is a
      // whole container followed by 7 NULs).
      {
        file: 'appended/capi-user-newline.key',
        format: 'capi-private-key',
        status: 'encrypted',
        reasons: ['CAPI_KEY_DPAPI', 'TRAILING_DATA'],
      },
      {
        file: 'appended/cng-log.key',
        format: 'cng-private-key',
        status: 'encrypted',
        reasons: ['CNG_KEY_DPAPI', 'TRAILING_DATA'],
      },
      {
        file: 'appended/capi-machine-padded.key',
        format: 'capi-private-key',
        status: 'encrypted',
        reasons: ['CAPI_KEY_DPAPI', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'lengths-off.bin',
        format: 'capi-private-key',
        status: 'encrypted',
        reasons: ['CAPI_KEY_DPAPI', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [
      { file: 'appended/capi-user-cut.key', name: 'lengths that name more bytes than the file holds' },
      { file: 'not-dpapi.bin', name: 'random bytes where the DPAPI blob should be' },
    ],
  },
  { framework: { describe, it } },
);

describe('Windows key containers', () => {
  it('names the master key, and SYSTEM for machine keys', () => {
    const user = windowsKeyContainersDetector.detect(wholeFileProbe(fixture(USER), USER), ctx) as Detection;
    expect(user.encryption?.keyHint?.lookFor).toEqual(['**/Protect/S-1-*/0b7deedd-f558-4f47-aadc-a9df45e91175']);
    expect(user.reasons[0]?.figures).toMatchObject({ machine: false, cipher: 'aes-256' });
    const cng = windowsKeyContainersDetector.detect(wholeFileProbe(fixture(CNG), CNG), ctx) as Detection;
    expect(cng.encryption?.keyHint?.lookFor?.[0]).toBe('**/Protect/S-1-5-18/**/5e2a9c1d-7b3f-4a8e-9d6c-2f1e0b3a4c5d');
    expect(cng.reasons[0]?.message).toContain('Microsoft Connected Devices Platform device certificate');
  });

  it('through the whole engine: encrypted, where statistics said opaque; a look-alike left to the statistics', async () => {
    const items = await scanFixtures('windows-key-containers');
    for (const file of [USER, MACHINE, CNG]) expect(items.get(file)?.classification.status, file).toBe('encrypted');
    // Random bytes where the DPAPI blob goes: not a key container; what they are is the statistics' guess alone.
    const lookalike = items.get('not-dpapi.bin')!;
    expect(lookalike.format?.id).not.toMatch(/private-key/);
    expect(lookalike.classification.reasons[0]?.by).toBe('statistics');
    expect(lookalike.classification.certainty).toBe('suspected');
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: windows-key-containers', () => {
  const seeds: Array<[string, Uint8Array]> = [USER, MACHINE, CNG].map((file) => [path.basename(file), fixture(file)]);
  fuzzFlipCutGrow(windowsKeyContainersDetector, seeds, 50, { wholeHalf: true, ctx });
});
