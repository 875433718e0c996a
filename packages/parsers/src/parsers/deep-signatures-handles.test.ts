/**
 * What deep-signatures costs in memory: libmagic's MIME handle (a second copy of the magic database, ~25 MiB in
 * each process that makes it) is made only for an answer that may be a recognition. In a parse child the parser is
 * libmagic's only user, so a scan whose candidates hold only chance matches never makes it there.
 */
import fs from 'node:fs';
import type { ParseContext, Probe } from '@evtriage/core/contract';
import { describe, expect, it, vi } from 'vitest';

const fixture = fs.readFileSync(new URL('../../fixtures/deep-signatures/pgp-key-padded.bin', import.meta.url));
const HEAD = 16 * 1024;

function probeOf(bytes: Buffer, headBytes: number): Probe {
  return {
    path: '/evidence/pgp-key-padded.bin',
    logicalPath: 'pgp-key-padded.bin',
    name: 'pgp-key-padded.bin',
    extension: 'bin',
    size: bytes.length,
    head: bytes.subarray(0, headBytes),
    tail: bytes.subarray(bytes.length - 8192),
    samples: [],
    complete: headBytes >= bytes.length,
  };
}

/** This module's own libmagic state: other test files in the same worker may have made handles already. */
async function fresh() {
  vi.resetModules();
  const libmagic = await import('../detectors/libmagic.js');
  const { deepSignaturesParser } = await import('./deep-signatures.js');
  return { ...libmagic, deepSignaturesParser };
}

describe('deep-signatures and the libmagic handles', () => {
  it('drops a chance match past the probe without making the MIME handle', async () => {
    const { deepSignaturesParser, judgeMagic, libmagicHandles } = await fresh();
    const probe = probeOf(fixture, HEAD);
    const ctx = {
      item: { size: fixture.length },
      probe,
      read: (position: number, length: number) =>
        Promise.resolve(Buffer.from(fixture.subarray(position, position + length))),
    } as unknown as ParseContext;
    expect(await deepSignaturesParser.parse(ctx)).toBeUndefined();
    expect(libmagicHandles()).toEqual({ describe: true, mime: false, every: false });
    // The same bytes judged for every answer (the detector's way): a chance match, which names its MIME type.
    const all = await judgeMagic(probeOf(fixture, fixture.length));
    expect(all?.confidence).toBeLessThan(0.5);
    expect(all?.reasons[0]?.code).toBe('LIBMAGIC_WEAK');
    expect(all?.reasons[0]?.message).toMatch(/OpenPGP Public Key.*\(application\/pgp-keys\)/);
    expect(libmagicHandles()).toEqual({ describe: true, mime: true, every: false });
  });

  it('still answers a recognition past the probe, with its MIME type', async () => {
    const { deepSignaturesParser, libmagicHandles } = await fresh();
    const btrfs = fs.readFileSync(new URL('../../fixtures/deep-signatures/btrfs-head.img', import.meta.url));
    const ctx = {
      item: { size: btrfs.length },
      probe: probeOf(btrfs, HEAD),
      read: (position: number, length: number) =>
        Promise.resolve(Buffer.from(btrfs.subarray(position, position + length))),
    } as unknown as ParseContext;
    const found = await deepSignaturesParser.parse(ctx);
    expect(found?.reclassify?.format?.id).toBe('btrfs');
    expect(found?.reclassify?.reasons[0]?.message).toMatch(/BTRFS.*\(application\//);
    expect(libmagicHandles()).toEqual({ describe: true, mime: true, every: false });
  });
});
