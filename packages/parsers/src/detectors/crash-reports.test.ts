import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { crashReportsDetector } from './crash-reports.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/crash-reports/ (generate.sh: Crashpad's files by Debian's chromium, the rest from
// the published layouts, near misses by hand).
testDetector(
  crashReportsDetector,
  {
    fixtures: new URL('../../fixtures/crash-reports/', import.meta.url),
    valid: [
      { file: 'layout.dmp', format: 'dmp', status: 'analysable', reasons: ['MINIDUMP_DIRECTORY'] },
      { file: 'chromium-renderer-cut.dmp', format: 'dmp', status: 'analysable', reasons: ['MINIDUMP_DIRECTORY'] },
      { file: 'metadata', format: 'crashpad-metadata', status: 'opaque', reasons: ['CRASHPAD_METADATA'] },
      { file: 'settings.dat', format: 'crashpad-settings', status: 'opaque', reasons: ['CRASHPAD_SETTINGS'] },
      {
        file: 'BrowserMetrics-spare.pma',
        format: 'chromium-persistent-metrics',
        status: 'opaque',
        reasons: ['CHROMIUM_PMA_HEADER'],
      },
    ],
    invalid: [
      { file: 'not-minidump.dmp', name: '"MDMP" with a version no minidump has' },
      { file: 'not-metrics.pma', name: 'the allocator cookie with a segment size other than the file size' },
      { file: 'not-metadata', name: 'the "CPAD" header with a record pointing past the string table' },
      { file: 'not-settings.dat', name: 'the Crashpad settings magic in a file of another size' },
    ],
  },
  { framework: { describe, it } },
);

describe('crash reports through the whole engine', () => {
  it('reads the minidump directory, the Crashpad client and the metrics segment name', async () => {
    const items = await scanFixtures('crash-reports');
    const cut = items.get('chromium-renderer-cut.dmp')!;
    expect(cut.classification.reasons[0]?.figures).toMatchObject({ streams: 9, crashpad: true, truncated: true });
    expect(items.get('layout.dmp')!.classification.reasons[0]?.figures).toMatchObject({
      streams: 3,
      crashpad: true,
      truncated: false,
    });
    const settings = items.get('settings.dat')!.details?.['crash-reports'] as { clientId?: string } | undefined;
    expect(settings?.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const pma = items.get('BrowserMetrics-spare.pma')!.details?.['crash-reports'] as
      { segmentName?: string } | undefined;
    expect(pma?.segmentName).toBe('BrowserMetrics');
    expect(items.get('metadata')!.classification.reasons[0]?.figures).toMatchObject({ records: 2, checked: 2 });
    for (const file of ['not-minidump.dmp', 'not-metrics.pma', 'not-settings.dat', 'not-metadata'])
      expect(items.get(file)!.classification.reasons[0]?.code, file).not.toMatch(/MINIDUMP|CRASHPAD|PMA/);
  });
});
