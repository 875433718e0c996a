import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { fixtureDir, scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { cabinetShortfall } from './cab-coverage.js';

// Cabinets by gcab with their file count altered (generate.sh beside them).
const dir = path.join(fixtureDir('sevenzip'), 'cab-count');
const at = (name: string): string => path.join(dir, name);

describe('cabinetShortfall', () => {
  it('says nothing of an honest cabinet', () => {
    expect(cabinetShortfall(at('three.cab'))).toBeUndefined();
    expect(cabinetShortfall(path.join(fixtureDir('sevenzip'), 'container', 'small.cab'))).toBeUndefined();
  });

  it('measures the bytes a low file count hides and names the records after it', () => {
    const short = cabinetShortfall(at('count-short.cab'));
    expect(short?.uncovered).toBe(24);
    expect(short?.hidden).toEqual(['c.txt']);
    expect(short?.message).toContain('counts 2 files (cFiles)');
    expect(cabinetShortfall(at('count-zero.cab'))?.hidden).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(cabinetShortfall(at('count-zero.cab'))?.uncovered).toBe(42);
    expect(cabinetShortfall(at('stored-short.cab'))).toMatchObject({ uncovered: 36, hidden: ['b.txt', 'c.txt'] });
  });

  it('reads the cabinet where 7-Zip found it (past a stub)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-coverage-'));
    try {
      const file = path.join(tmp, 'stub.cab');
      fs.writeFileSync(file, Buffer.concat([Buffer.alloc(1000, 0x4d), fs.readFileSync(at('count-short.cab'))]));
      expect(cabinetShortfall(file, 1000)?.uncovered).toBe(24);
      expect(cabinetShortfall(file, 0)).toBeUndefined();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('gives nothing for a header cut inside its reserve fields (libmspack partial_shortextheader.cab threw)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-coverage-'));
    try {
      const cut = Buffer.from(fs.readFileSync(at('three.cab')).subarray(0, 38));
      cut.writeUInt16LE(cut.readUInt16LE(30) | 0x0004, 30);
      fs.writeFileSync(path.join(tmp, 'cut.cab'), cut);
      expect(cabinetShortfall(path.join(tmp, 'cut.cab'))).toBeUndefined();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('fuzz: mutated cabinets give an answer or nothing, never a throw', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cab-coverage-'));
    try {
      const seed = fs.readFileSync(at('three.cab'));
      const noise = seededBytes(0xcab, 4 * 1024);
      const file = path.join(tmp, 'm.cab');
      let k = 0;
      for (let round = 0; round < 300; round++) {
        const bytes = Buffer.from(seed);
        // Header and tables are where the counts and offsets lie: mutate the first 120 bytes mostly.
        for (let i = 0; i < 1 + (noise[k++ % noise.length]! % 3); i++)
          bytes[noise[k++ % noise.length]! % 120] = noise[k++ % noise.length]!;
        fs.writeFileSync(file, bytes.subarray(0, round % 7 === 0 ? noise[k++ % noise.length]! : bytes.length));
        const short = cabinetShortfall(file);
        if (short) expect(short.uncovered).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

const errorCodes = (item: EvidenceItem | undefined): string[] => item?.errors.map((e) => e.code) ?? [];

describe('cabinets listed short, through the 7-Zip opener', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('sevenzip/cab-count');
  }, 60_000);

  it('puts CAB_MEMBERS_UNLISTED on the cabinet, and lists what 7-Zip lists', () => {
    expect(errorCodes(items.get('count-short.cab'))).toContain('CAB_MEMBERS_UNLISTED');
    expect(items.get('count-short.cab')?.errors.find((e) => e.code === 'CAB_MEMBERS_UNLISTED')?.message).toMatch(
      /24 uncompressed bytes no listed file covers.*"c\.txt"/,
    );
    expect([...items.keys()].filter((p) => p.startsWith('count-short.cab!/')).sort()).toEqual([
      'count-short.cab!/a.txt',
      'count-short.cab!/b.txt',
    ]);
    expect(errorCodes(items.get('count-zero.cab'))).toContain('CAB_MEMBERS_UNLISTED');
    expect(errorCodes(items.get('stored-short.cab'))).toContain('CAB_MEMBERS_UNLISTED');
    expect(errorCodes(items.get('three.cab'))).not.toContain('CAB_MEMBERS_UNLISTED');
    expect([...items.keys()].filter((p) => p.startsWith('three.cab!/'))).toHaveLength(3);
  });
});
