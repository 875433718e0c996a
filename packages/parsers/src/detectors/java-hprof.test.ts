import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { javaHprofDetector } from './java-hprof.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const dir = new URL('../../fixtures/java-hprof/', import.meta.url);

testDetector(
  javaHprofDetector,
  {
    fixtures: dir,
    ignore: ['generate.sh'],
    valid: [
      // ART's 1.0.3, which libmagic does not know.
      { file: 'android-1.0.3-head.hprof', format: 'java-hprof-dump', status: 'analysable', reasons: ['HPROF_RECORDS'] },
      { file: 'hotspot-1.0.2-head.hprof', format: 'java-hprof-dump', status: 'analysable', reasons: ['HPROF_RECORDS'] },
    ],
    invalid: [{ file: 'bad-tag.hprof', name: 'a record tag HPROF does not define' }],
  },
  { framework: { describe, it } },
);

describe('HPROF through the whole engine', () => {
  it("names Android's 1.0.3 heap dump instead of leaving it to the statistics", async () => {
    const items = await scanFixtures('java-hprof');
    expect(items.get('android-1.0.3-head.hprof')?.format?.id).toBe('java-hprof-dump');
    expect(items.get('android-1.0.3-head.hprof')?.classification.reasons[0]?.message).toContain("Android ART's");
    expect(items.get('bad-tag.hprof')?.format?.detector).not.toBe('java-hprof');
  });
});

describe('java-hprof mutation fuzz', () => {
  fuzzFlipCutGrow(
    javaHprofDetector,
    ['android-1.0.3-head.hprof', 'hotspot-1.0.2-head.hprof'].map((n) => [n, fs.readFileSync(new URL(n, dir))] as const),
    20,
  );
});
