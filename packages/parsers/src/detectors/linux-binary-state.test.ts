import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { linuxBinaryStateDetector } from './linux-binary-state.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  linuxBinaryStateDetector,
  {
    fixtures: new URL('../../fixtures/linux-binary-state/', import.meta.url),
    valid: [
      { file: 'hwdb.bin', format: 'systemd-hwdb', status: 'opaque', reasons: ['SYSTEMD_HWDB_HEADER'] },
      { file: 'catalog.database', format: 'systemd-catalog', status: 'opaque', reasons: ['SYSTEMD_CATALOG_HEADER'] },
      { file: 'sa06', format: 'sysstat-sa', status: 'opaque', reasons: ['SYSSTAT_FILE_MAGIC'] },
      { file: 'ld.so.cache', format: 'ld-so-cache', status: 'opaque', reasons: ['LDSO_CACHE_HEADER'] },
      { file: 'aux-cache', format: 'ldconfig-aux-cache', status: 'opaque', reasons: ['LDCONFIG_AUX_CACHE_HEADER'] },
    ],
    // The sections no longer fill a cut hwdb.bin; another format magic after sysstat's two bytes; a string table cut off.
    invalid: [{ file: 'hwdb-cut.bin' }, { file: 'sa-other-format.bin' }, { file: 'ld.so.cache-cut' }],
  },
  { framework: { describe, it } },
);

describe('Linux binary state files in a scan', () => {
  it('names them from their headers where the statistics had called them unnamed binary, none encrypted', async () => {
    const items = await scanFixtures('linux-binary-state');
    expect(items.get('hwdb.bin')!.format?.id).toBe('systemd-hwdb');
    expect(items.get('catalog.database')!.format?.id).toBe('systemd-catalog');
    expect(items.get('sa06')!.format?.id).toBe('sysstat-sa');
    for (const item of items.values()) expect(item.classification.status).not.toBe('encrypted');
  });
});
