import { describe, expect, it } from 'vitest';
import { createIdentifier } from './identify.js';
import { defineDetector } from '../plugin/define.js';
import type { DeclinedSignature, Probe } from '../plugin/types.js';

function probe(text: string): Probe {
  const head = Buffer.from(text, 'latin1');
  return {
    path: 'x',
    logicalPath: 'x',
    name: 'x',
    extension: '',
    size: head.length,
    head,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  };
}

const limits = { probeHeadBytes: 4096, probeTailBytes: 0 };

/** Declines everything its signatures let through, as a detector does with a damaged file. */
const declining = (id: string, signatures: Array<{ offset: number; ascii: string; within?: number }>) =>
  defineDetector({
    meta: { id, version: '1.0.0', title: id, formats: [{ id, name: id, status: 'analysable', how: 'signature' }] },
    signatures,
    detect: () => undefined,
  });

/** A fallback that reports what its context says. */
function reporting(seen: Array<readonly DeclinedSignature[]>) {
  return defineDetector({
    meta: {
      id: 'reporter',
      version: '1.0.0',
      title: 'reporter',
      formats: [{ id: 'seen', name: 'seen', status: 'opaque', how: 'statistics' }],
    },
    fallback: true,
    detect(_probe, ctx) {
      seen.push(ctx.declinedSignatures ?? []);
      return undefined;
    },
  });
}

describe('the signatures that matched in vain, as fallbacks see them', () => {
  it('names each declining detector whose signature at the start matched, with its longest match', async () => {
    const seen: Array<readonly DeclinedSignature[]> = [];
    const detectors = [
      declining('long', [
        { offset: 0, ascii: 'MAGI' },
        { offset: 0, ascii: 'MAGIC!' },
      ]),
      declining('other', [{ offset: 2, ascii: 'GIC' }]),
      declining('unmatched', [{ offset: 0, ascii: 'NOPE' }]),
      // A search window is not a prefix of the file: left out.
      declining('windowed', [{ offset: 0, ascii: 'C!', within: 16 }]),
      reporting(seen),
    ];
    await createIdentifier(detectors, limits).identify(probe('MAGIC! and then damage'));
    expect(seen).toHaveLength(1);
    expect(
      seen[0]!.map(({ detector, offset, length, identifying }) => ({ detector, offset, length, identifying })),
    ).toEqual([
      { detector: 'long', offset: 0, length: 6, identifying: 6 },
      { detector: 'other', offset: 2, length: 3, identifying: 3 },
    ]);
    expect(seen[0]![0]!.formats.map((f) => f.id)).toEqual(['long']);
  });

  it('is empty when no signature matched', async () => {
    const seen: Array<readonly DeclinedSignature[]> = [];
    await createIdentifier([declining('unmatched', [{ offset: 0, ascii: 'NOPE' }]), reporting(seen)], limits).identify(
      probe('something else'),
    );
    expect(seen).toEqual([[]]);
  });
});
