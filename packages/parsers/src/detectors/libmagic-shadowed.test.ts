/**
 * A weak first match of libmagic that stands in front of the file's real format (shadowedMatch in libmagic.ts):
 * the later match is taken only where a rule's structural check holds, and libmagic's third handle (every match,
 * MAGIC_CONTINUE) is made only then.
 */
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { wholeFileProbe } from './probe.test-helper.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../fixtures/libmagic/${name}`, import.meta.url));

/** This module's own libmagic state: other test files in the same worker may have made handles already. */
async function fresh() {
  vi.resetModules();
  return import('./libmagic.js');
}

describe('a weak first match shadowing a mapped format', () => {
  it('takes the TeX answer behind "Excel 3 BIFF 3" when the twelve lengths add up, naming both', async () => {
    const { judgeMagic, libmagicHandles } = await fresh();
    const d = await judgeMagic(wholeFileProbe(fixture('font-biff3-lf.tfm')));
    expect(d?.format.id).toBe('tex-tfm');
    expect(d?.status).toBe('analysable');
    expect(d?.confidence).toBe(0.75);
    expect(d?.reasons[0]?.figures).toEqual({
      description: 'TeX font metric data (TEX TEXT)',
      firstMatch: 'Excel 3 BIFF 3',
    });
    expect(d?.reasons[0]?.message).toMatch(/add up to 2306 words, the file's size/);
    // The MIME type libmagic gives is the first match's: none is claimed, and its handle is not made.
    expect(libmagicHandles()).toEqual({ describe: true, mime: false, every: true });
  });

  it('keeps the weak answer a chance match, without asking for every match, when no structure holds', async () => {
    const { judgeMagic, libmagicHandles } = await fresh();
    const d = await judgeMagic(wholeFileProbe(fixture('tfm-biff3-wrong-length.bin')));
    expect(d?.format.id).toBe('libmagic-chance-match');
    expect(d?.reasons[0]?.figures?.description).toBe('Excel 3 BIFF 3');
    expect(libmagicHandles()).toEqual({ describe: true, mime: true, every: false });
  });

  it('refuses the later answer when one table length no longer adds up (same size, same first match)', async () => {
    const { judgeMagic, libmagicHandles } = await fresh();
    const tfm = Buffer.from(fixture('font-biff3-lf.tfm'));
    tfm[7] = 0x62; // ec 'b' for 'a': one more character word than lf counts
    const d = await judgeMagic(wholeFileProbe(tfm));
    expect(d?.format.id).toBe('libmagic-chance-match');
    expect(d?.reasons[0]?.figures?.description).toBe('Excel 3 BIFF 3');
    expect(libmagicHandles().every).toBe(false);
  });
});
