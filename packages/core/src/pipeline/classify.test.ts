import { describe, expect, it } from 'vitest';
import type { Detection, DetectorPlugin, EvidenceBasis, Probe } from '../plugin/types.js';
import { basisOf, classify, pickWinner } from './classify.js';
import type { Candidate } from './identify.js';

const probe: Probe = {
  path: 'x',
  logicalPath: 'x',
  name: 'x',
  extension: '',
  size: 100,
  head: new Uint8Array(100),
  tail: new Uint8Array(0),
  samples: [],
  complete: true,
};

function detector(id: string, how: 'structure' | 'statistics' | 'path' = 'structure', priority = 50): DetectorPlugin {
  return {
    kind: 'detector',
    meta: { id, version: '1.0.0', title: id, formats: [{ id: `${id}-format`, name: id, status: 'opaque', how }] },
    priority,
    detect: () => undefined,
  };
}

function candidate(d: DetectorPlugin, confidence: number, basis?: EvidenceBasis): Candidate {
  const det: Detection = {
    format: { id: `${d.meta.id}-format`, name: d.meta.id },
    status: 'opaque',
    confidence,
    reasons: [{ code: 'X', message: 'x' }],
  };
  return { ...det, ...(basis ? { basis } : {}), detector: d };
}

describe('classify: the order of evidence', () => {
  it('ranks believed candidates structure > container > catalogue > path > statistics, whatever their confidence', () => {
    const stats = candidate(detector('stats', 'statistics'), 0.65);
    const path = candidate(detector('path', 'statistics'), 0.55, 'path');
    const catalogue = candidate(detector('catalogue', 'statistics'), 0.52, 'catalogue');
    const container = candidate(detector('container'), 0.51, 'container');
    const structure = candidate(detector('structure'), 0.5);
    expect(pickWinner([stats, path])).toBe(path);
    expect(pickWinner([stats, path, catalogue])).toBe(catalogue);
    expect(pickWinner([stats, path, catalogue, container])).toBe(container);
    expect(pickWinner([stats, catalogue, structure, path, container])).toBe(structure);
  });

  it('takes the basis from the format declaration when a detection names none', () => {
    expect(basisOf(candidate(detector('s', 'statistics'), 0.6))).toBe('statistics');
    expect(basisOf(candidate(detector('p', 'path'), 0.6))).toBe('path');
    expect(basisOf(candidate(detector('t'), 0.6))).toBe('structure');
  });

  it('never lets a candidate below the belief threshold win over a believed one (a chance match of short magic)', () => {
    const chance = candidate(detector('libmagic'), 0.2);
    const stats = candidate(detector('stats', 'statistics'), 0.55);
    expect(pickWinner([chance, stats])).toBe(stats);
    expect(pickWinner([chance])).toBe(chance);
  });

  it('within one basis, the higher confidence wins, then the more specific detector', () => {
    const a = candidate(detector('a', 'structure', 80), 0.8);
    const b = candidate(detector('b', 'structure', 20), 0.9);
    const c = candidate(detector('c', 'structure', 10), 0.9);
    expect(pickWinner([a, b])).toBe(b);
    expect(pickWinner([a, b, c])).toBe(c);
  });

  it('lists the losers with their basis', () => {
    const v = classify(
      [candidate(detector('stats', 'statistics'), 0.65), candidate(detector('path', 'statistics'), 0.55, 'path')],
      probe,
    );
    expect(v.winner?.detector.meta.id).toBe('path');
    expect(v.classification.reasons.find((r) => r.code === 'OTHER_CANDIDATES')?.message).toMatch(
      /stats-format \(stats, 0\.65\)/,
    );
  });
});
