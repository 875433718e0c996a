import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { defenderQuarantineDetector } from './defender-quarantine.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/defender-quarantine/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

const Q = 'ProgramData/Microsoft/Windows Defender/Quarantine';
const ENTRY = `${Q}/Entries/{80009A4B-1F3C-4D2E-9B7A-5C6D8E0F1A2B}`;
const RESOURCE = `${Q}/ResourceData/3A/3A5C1F0E9B2D47A6C8E1F09D2B7A4C6E8F1D3B5A`;
const RANDOM = `${Q}/ResourceData/3A/3A77E0D2C4B6A8F1E3D5C7B9A1F3E5D7C9B1A3F5`;

// Built from the published layout under the published RC4 key (fixtures/windows-memory-files/generate.sh).
testDetector(
  defenderQuarantineDetector,
  {
    fixtures: new URL('../../fixtures/defender-quarantine/', import.meta.url),
    valid: [
      {
        file: ENTRY,
        format: 'defender-quarantine-entry',
        status: 'opaque',
        reasons: ['DEFENDER_QUARANTINE_ENTRY'],
      },
      {
        file: RESOURCE,
        format: 'defender-quarantine-resource',
        status: 'opaque',
        reasons: ['DEFENDER_QUARANTINE_RESOURCE'],
      },
    ],
    invalid: [{ file: RANDOM, name: 'random bytes under a ResourceData path' }],
  },
  { framework: { describe, it } },
);

describe('Defender quarantine through the whole engine', () => {
  it('the published key outranks the statistics; random bytes in the same folder stay suspect', async () => {
    const items = await scanFixtures('defender-quarantine');
    expect(items.get(RESOURCE)?.classification.status).toBe('opaque');
    expect(items.get(RESOURCE)?.format?.id).toBe('defender-quarantine-resource');
    expect(items.get(ENTRY)?.format?.id).toBe('defender-quarantine-entry');
    expect(items.get(RANDOM)?.classification.status).toBe('encrypted');
  });

  it('reads the lengths, the date and the quarantined file under the key', () => {
    const entry = defenderQuarantineDetector.detect(wholeFileProbe(fixture(ENTRY)), ctx) as Detection;
    expect(entry.reasons[0]?.figures).toMatchObject({
      firstSection: 78,
      secondSection: 100,
      quarantined: '2024-12-06T23:06:40.000Z',
    });
    const resource = defenderQuarantineDetector.detect(wholeFileProbe(fixture(RESOURCE)), ctx) as Detection;
    // The EICAR test file (68 bytes) behind a 48-byte security descriptor.
    expect(resource.reasons[0]?.figures).toMatchObject({ securityDescriptorBytes: 48, quarantinedBytes: 68 });
  });

  it('refuses a file cut short of the lengths its header gives, and a date outside 2000-2100', () => {
    const resource = fixture(RESOURCE);
    expect(defenderQuarantineDetector.detect(wholeFileProbe(resource.subarray(0, 100)), ctx)).toBeUndefined();
    const entry = fixture(ENTRY);
    expect(defenderQuarantineDetector.detect(wholeFileProbe(entry.subarray(0, entry.length - 1)), ctx)).toBeUndefined();
    const wrongDate = Uint8Array.from(entry);
    wrongDate[0x3c + 39]! ^= 0x40; // the FILETIME's top byte
    expect(defenderQuarantineDetector.detect(wholeFileProbe(wrongDate), ctx)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: defender-quarantine', () => {
  const seeds: Array<[string, Uint8Array]> = [ENTRY, RESOURCE, RANDOM].map((file) => [
    path.basename(file),
    fixture(file).subarray(0, 4096),
  ]);
  fuzzFlipCutGrow(defenderQuarantineDetector, seeds, 20, { wholeHalf: true, ctx });
});
