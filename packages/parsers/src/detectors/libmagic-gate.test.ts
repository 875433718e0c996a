import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core';
import { judgeMagic, libmagicDescriptions, libmagicDetector } from './libmagic.js';
import { DAMAGED_MIN_BYTES, onlyChanceMatches } from './libmagic-gate.js';
import { MAGIC_RULES } from './libmagic-rules.js';
import { uniformFromFirstByte } from './statistics-figures.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

const ctx = { limits: { maxProbeBytes: 16384 } as never, signal: new AbortController().signal };

async function detectCounted(probe: Probe): Promise<{ d: Detection | undefined; asked: number }> {
  const before = libmagicDescriptions();
  const d = (await libmagicDetector.detect(probe, ctx)) as Detection | undefined;
  return { d, asked: libmagicDescriptions() - before };
}

describe('libmagic gate', () => {
  it('does not ask libmagic about uniformly random bytes no high-entropy magic leads', async () => {
    await judgeMagic(wholeFileProbe(seededBytes(7, 600))); // load libmagic first: the counter then counts calls only
    let skipped = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const probe = wholeFileProbe(seededBytes(seed * 2654435761, 200 + seed * 25));
      if (!onlyChanceMatches(probe)) continue;
      skipped++;
      expect(uniformFromFirstByte(probe)).toBe(true);
      const { d, asked } = await detectCounted(probe);
      expect(d).toBeUndefined();
      expect(asked).toBe(0);
    }
    // Nearly every random buffer is skipped (a few start with a high-entropy rule's lead bytes by chance).
    expect(skipped).toBeGreaterThan(30);
  });

  it('still asks about a random body behind a gzip or zlib header, and keeps the answer libmagic gives', async () => {
    const body = seededBytes(0x5eed, 900);
    for (const [bytes, format] of [
      [zlib.gzipSync(body), 'gzip'],
      [zlib.deflateSync(body), 'zlib'],
    ] as const) {
      const probe = wholeFileProbe(bytes, `random.${format}`);
      // The statistics alone call these bytes uniformly random: the magic is what keeps libmagic asked.
      expect(uniformFromFirstByte(probe)).toBe(true);
      expect(onlyChanceMatches(probe)).toBe(false);
      const { d, asked } = await detectCounted(probe);
      expect(asked).toBeGreaterThan(0);
      expect(d?.format.id).toBe(format);
      expect(d?.status).toBe('analysable');
      expect(d?.reasons[0]?.code).toBe('LIBMAGIC');
    }
  });

  it('asks about every file large enough for a long magic before random bytes to mean a damaged file', () => {
    const probe = wholeFileProbe(seededBytes(99, DAMAGED_MIN_BYTES));
    expect(uniformFromFirstByte(probe)).toBe(true);
    expect(onlyChanceMatches(probe)).toBe(false);
  });

  it('gives every high-entropy rule the lead bytes its answers need', () => {
    for (const rule of MAGIC_RULES.filter((r) => r.highEntropy))
      expect(rule.leads, rule.format.id).toBeTypeOf('function');
  });

  it('skips only where libmagic, asked, answers nothing or a chance match (random bodies behind many magics)', async () => {
    const magics = [
      [], // none
      [0x71, 0xc7], // cpio (binary, 2 bytes)
      [0x54, 0x5a, 0x69, 0x66, 0x32], // "TZif2"
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
      [0x50, 0x4b, 0x03, 0x04], // ZIP local header
      [0x1f, 0x9d], // compress(1)
      [0x4c, 0x5a, 0x49, 0x50], // lzip "LZIP"
      [0x42, 0x5a, 0x68, 0x39], // bzip2 "BZh9"
    ];
    let skipped = 0;
    for (let seed = 1; seed <= 240; seed++) {
      const bytes = seededBytes(seed * 40503, 64 + ((seed * 97) % (DAMAGED_MIN_BYTES - 64)));
      bytes.set(magics[seed % magics.length]!.slice(0, bytes.length));
      const probe = wholeFileProbe(bytes);
      if (!onlyChanceMatches(probe)) continue;
      skipped++;
      const d = await judgeMagic(probe);
      if (d) expect(d.confidence, `${d.format.id}: ${d.reasons[0]?.message}`).toBeLessThanOrEqual(0.2);
    }
    expect(skipped).toBeGreaterThan(150);
  });
});
