/**
 * randomSector: a sector of uniformly random bytes where a volume header would be. Streams of random bytes compressed
 * by Debian's xz, zstd and bzip2 (fixtures/embedded-streams/sector.*, generate.sh) are random bytes behind a few
 * header bytes: a disk or partition that holds such a file written raw is not an encrypted volume.
 */
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from './probe.test-helper.js';
import { randomSector } from './random-sector.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

describe('randomSector', () => {
  it('calls 512 seeded random bytes random, and a sector of zeros or a byte counter not', () => {
    expect(randomSector(seededBytes(7, 512))).toBeDefined();
    expect(randomSector(new Uint8Array(512))).toBeUndefined();
    expect(randomSector(Uint8Array.from({ length: 512 }, (_, i) => i & 0xff))).toBeUndefined();
  });

  it('does not call the first sector of an XZ, zstd or bzip2 stream random: its header is confirmed', () => {
    for (const name of ['sector.xz', 'sector.zst']) {
      const sector = fixtureBytes('embedded-streams', name).subarray(0, 512);
      expect(randomSector(sector), name).toBeUndefined();
      // The same bytes after the magic number are uniform: only the stream's header tells them apart.
      const altered = Uint8Array.from(sector);
      altered[0] = sector[0]! ^ 0xff;
      expect(randomSector(altered), `${name}, magic altered`).toBeDefined();
    }
    expect(randomSector(fixtureBytes('embedded-streams', 'sector.bz2').subarray(0, 512))).toBeUndefined();
  });
});
