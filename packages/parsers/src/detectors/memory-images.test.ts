import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { memoryImagesDetector } from './memory-images.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const dir = fileURLToPath(new URL('../../fixtures/memory-images/', import.meta.url));
const fixture = (file: string) => new Uint8Array(fs.readFileSync(path.join(dir, file)));
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

// QEMU's streams are QEMU's own; the others are written from the published layouts (fixtures/memory-images/generate.sh).
testDetector(
  memoryImagesDetector,
  {
    fixtures: new URL('../../fixtures/memory-images/', import.meta.url),
    valid: [
      { file: 'memory.lime', format: 'lime-memory-image', status: 'opaque', reasons: ['LIME_RANGE_HEADER'] },
      { file: 'memory.avml.lime', format: 'avml-memory-image', status: 'opaque', reasons: ['AVML_RANGE_HEADER'] },
      { file: 'suspended.vmss', format: 'vmware-saved-state', status: 'opaque', reasons: ['VMWARE_STATE_GROUPS'] },
      { file: 'suspended.vmem', format: 'vmware-memory-file', status: 'opaque', reasons: ['VMWARE_MEMORY_FILE_NAME'] },
      {
        file: 'saved.sav',
        format: 'virtualbox-saved-state',
        status: 'opaque',
        reasons: ['VIRTUALBOX_SAVED_STATE_MAGIC'],
      },
      { file: 'qemu-none.state', format: 'qemu-vm-state', status: 'opaque', reasons: ['QEMU_VM_STREAM'] },
      { file: 'qemu-microvm.state', format: 'qemu-vm-state', status: 'opaque', reasons: ['QEMU_VM_STREAM'] },
    ],
    invalid: [
      { file: 'not-qemu.txt', name: 'text starting "QEVM"' },
      { file: 'not-lime.txt', name: 'text starting "EMiL"' },
    ],
  },
  { framework: { describe, it } },
);

describe('memory images through the whole engine', () => {
  it('a random page of memory, Snappy frames and compressed state units are memory, not ciphertext', async () => {
    const items = await scanFixtures('memory-images');
    for (const file of [
      'memory.lime',
      'memory.avml.lime',
      'suspended.vmss',
      'suspended.vmem',
      'saved.sav',
      'qemu-microvm.state',
    ]) {
      expect(items.get(file)?.classification.status, file).toBe('opaque');
      expect(items.get(file)?.format?.detector, file).toBe('memory-images');
    }
  });

  it('names the machine and first section of a QEMU stream, and follows LiME ranges through the head', () => {
    expect(memoryImagesDetector.detect(wholeFileProbe(fixture('qemu-microvm.state'), 'x'), ctx)).toMatchObject({
      reasons: [{ figures: { machine: 'microvm', firstSection: 'ram' } }],
    });
    expect(memoryImagesDetector.detect(wholeFileProbe(fixture('memory.lime'), 'x'), ctx)).toMatchObject({
      reasons: [{ figures: { firstAddress: 0x1000, firstRangeBytes: 4096, rangesSeen: 2 } }],
    });
    // A second header that is not one (its magic overwritten) is no LiME image.
    const broken = fixture('memory.lime');
    broken.set(Buffer.from('XXXX'), 32 + 4096);
    expect(memoryImagesDetector.detect(wholeFileProbe(broken, 'x'), ctx)).toBeUndefined();
    // Raw memory is known by its name alone, and only in whole pages.
    expect(memoryImagesDetector.detect(wholeFileProbe(fixture('suspended.vmem'), 'copy.bin'), ctx)).toBeUndefined();
    expect(
      memoryImagesDetector.detect(wholeFileProbe(fixture('suspended.vmem').subarray(0, 5000), 'a.vmem'), ctx),
    ).toBeUndefined();
    // A range that claims more bytes than the file holds is not one either.
    const long = fixture('memory.lime');
    long.set([0xff, 0xff, 0x10], 16);
    expect(memoryImagesDetector.detect(wholeFileProbe(long, 'x'), ctx)).toBeUndefined();
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: memory-images', () => {
  const seeds: Array<[string, Uint8Array]> = [
    'memory.lime',
    'memory.avml.lime',
    'suspended.vmss',
    'saved.sav',
    'qemu-none.state',
    'qemu-microvm.state',
  ].map((file) => [file, fixture(file).subarray(0, 16384)]);
  fuzzFlipCutGrow(memoryImagesDetector, seeds, 100, { wholeHalf: true, ctx });
});
