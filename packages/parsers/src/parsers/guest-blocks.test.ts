import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParserPlugin } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { affDetector } from '../detectors/aff.js';
import { diskImagesDetector } from '../detectors/disk-images.js';
import { affVolumeParser } from './aff-volume.js';
import { ewfVolumeParser } from './ewf-volume.js';
import { libmagicDetector } from '../detectors/libmagic.js';
import { qedVolumeParser } from './qed-volume.js';
import { vdiVolumeParser } from './vdi-volume.js';
import { vhdVolumeParser } from './vhd-volume.js';
import { vhdxVolumeParser } from './vhdx-volume.js';
import { vmdkVolumeParser } from './vmdk-volume.js';
import { fuzzVolumeParser } from './volume-fuzz.test-helper.js';

// qemu-img's VDI, dynamic VHD, VHDX, VMDK and QED images, ewfacquire's E01 and affconvert's AFF images of a LUKS1
// volume, of a guest that starts with random bytes, of a GPT disk whose partition is LUKS1 and of a GPT disk whose
// partition is ext4 (scripts/make-vm-guest-fixtures.sh). They are stored gzip-compressed in each parser's fixture folder and
// unpacked here, unchanged, into a temporary folder.
const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-disk-volume-'));
/** Unpacks the parser's fixtures (packages/parsers/fixtures/<id>/) into a folder of its own; returns its URL. */
function unpack(id: string): URL {
  const packed = new URL(`../../fixtures/${id}/`, import.meta.url);
  const dir = path.join(unpacked, id);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(packed).filter((n) => n.endsWith('.gz')))
    fs.writeFileSync(path.join(dir, name.slice(0, -3)), zlib.gunzipSync(fs.readFileSync(new URL(name, packed))));
  return pathToFileURL(`${dir}/`);
}
afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));

const CONTAINERS: {
  parser: ParserPlugin;
  /** The parser's id: its fixture folder. */
  id: string;
  ext: string;
  code: string;
  plain: string;
  encrypted: string;
  blockKey: string;
  block: number;
  guest: number;
}[] = [
  {
    parser: vdiVolumeParser,
    id: 'vdi-volume',
    ext: 'vdi',
    // The block size qemu-img or ewfacquire chose, and the guest size (qemu-img rounds a VHD to its CHS geometry).
    block: 1048576,
    guest: 1048576,
    code: 'VDI',
    plain: 'virtualbox-disk-image',
    encrypted: 'vdi-encrypted-guest',
    blockKey: 'blockBytes',
  },
  {
    parser: vhdVolumeParser,
    id: 'vhd-volume',
    ext: 'vhd',
    block: 2097152,
    guest: 1079296,
    code: 'VHD',
    plain: 'virtualbox-vhd',
    encrypted: 'vhd-encrypted-guest',
    blockKey: 'blockBytes',
  },
  {
    parser: vhdxVolumeParser,
    id: 'vhdx-volume',
    ext: 'vhdx',
    block: 8388608,
    guest: 1048576,
    code: 'VHDX',
    plain: 'vhdx',
    encrypted: 'vhdx-encrypted-guest',
    blockKey: 'blockBytes',
  },
  {
    parser: vmdkVolumeParser,
    id: 'vmdk-volume',
    ext: 'vmdk',
    block: 65536,
    guest: 1048576,
    code: 'VMDK',
    plain: 'vmdk',
    encrypted: 'vmdk-encrypted-guest',
    blockKey: 'grainBytes',
  },
  {
    parser: qedVolumeParser,
    id: 'qed-volume',
    ext: 'qed',
    block: 65536,
    guest: 1048576,
    code: 'QED',
    plain: 'qemu-qed-image',
    encrypted: 'qed-encrypted-guest',
    blockKey: 'clusterBytes',
  },
  {
    parser: ewfVolumeParser,
    id: 'ewf-volume',
    ext: 'E01',
    block: 32768,
    guest: 1048576,
    code: 'EWF',
    plain: 'ewf',
    encrypted: 'ewf-encrypted-guest',
    blockKey: 'chunkBytes',
  },
  {
    parser: affVolumeParser,
    id: 'aff-volume',
    ext: 'aff',
    block: 16777216,
    guest: 1048576,
    code: 'AFF',
    plain: 'aff',
    encrypted: 'aff-encrypted-guest',
    blockKey: 'pageBytes',
  },
];

for (const c of CONTAINERS)
  testParser(
    c.parser,
    {
      fixtures: unpack(c.id),
      detectors: [libmagicDetector, diskImagesDetector, affDetector],
      valid: [
        {
          file: `luks1.${c.ext}`,
          format: c.encrypted,
          status: 'encrypted',
          encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' } },
          details: { volume: 'luks1', guestBytes: c.guest, [c.blockKey]: c.block },
        },
        {
          file: `random.${c.ext}`,
          format: c.encrypted,
          status: 'encrypted',
          encryption: { scheme: 'unknown-full-disk-encryption', scope: 'full' },
          details: { volume: 'random-start' },
        },
        {
          file: `gpt-luks.${c.ext}`,
          format: c.encrypted,
          status: 'encrypted',
          encryption: { scheme: 'luks1-aes-xts-plain64', scope: 'full' },
          details: { volume: 'encrypted-partition-disk' },
        },
        { file: `gpt-ext4.${c.ext}`, format: c.plain, status: 'analysable' },
      ],
      invalid: [{ file: `table-past-end.${c.ext}`, diagnostics: [`${c.code}_TABLES_DAMAGED`] }],
    },
    { framework: { describe, it } },
  );

// Flipped and cut images (fixed seed, volume-fuzz.test-helper.ts): a result or nothing, never an exception, only
// declared diagnostics, and bounded reads.
describe('fuzz: VM image guest readers on damaged headers and tables', () => {
  for (const c of CONTAINERS) {
    const seeds = ['luks1', 'random', 'gpt-luks'].map((g) =>
      fs.readFileSync(path.join(unpacked, c.id, `${g}.${c.ext}`)),
    );
    const declared = new Set(Object.keys(c.parser.meta.diagnostics ?? {}));
    it(`${c.parser.meta.id}: no exception, bounded reads`, async () => {
      let encrypted = 0;
      await fuzzVolumeParser(c.parser, seeds, `x.${c.ext}`, 300, ({ result, codes, largest, reads }) => {
        if (result?.reclassify?.status === 'encrypted') encrypted++;
        for (const code of codes) expect(declared.has(code)).toBe(true);
        // A guest window, a table entry or a header; a damaged GPT's entry table (128 entries of up to 4 KiB).
        expect(largest).toBeLessThanOrEqual(512 * 1024);
        expect(reads).toBeLessThan(20_000);
      });
      // The damaged images still found encrypted (85-154 of 300 for the block-mapped formats, 51 for AFF, whose
      // linear segment walk stops at the first damaged segment header): the fuzz reaches the verdict, not only errors.
      expect(encrypted).toBeGreaterThan(40);
    });
  }
});
