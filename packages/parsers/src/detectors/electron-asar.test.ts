import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { electronAsarDetector } from './electron-asar.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Fixtures: ../../fixtures/electron-asar/ (generate.sh: packed by @electron/asar 3.4.1; near misses by hand).
testDetector(
  electronAsarDetector,
  {
    fixtures: new URL('../../fixtures/electron-asar/', import.meta.url),
    valid: [
      { file: 'app.asar', format: 'electron-asar', status: 'analysable', reasons: ['ASAR_INDEX'] },
      { file: 'app-cut.asar', format: 'electron-asar', status: 'analysable', reasons: ['ASAR_INDEX'] },
      { file: 'big-index.asar', format: 'electron-asar', status: 'analysable', reasons: ['ASAR_HEADER'] },
    ],
    invalid: [
      { file: 'not-asar-sizes.bin', name: 'pickle sizes that disagree' },
      { file: 'not-asar-json.bin', name: 'agreeing sizes around an index that does not parse' },
    ],
  },
  { framework: { describe, it } },
);

describe('Electron archives through the whole engine', () => {
  it('are named by their index, not by the PNG packed last', async () => {
    const items = await scanFixtures('electron-asar');
    const app = items.get('app.asar')!;
    expect(app.format?.id).toBe('electron-asar');
    expect(app.classification.status).toBe('analysable');
    expect(app.classification.reasons[0]?.figures).toMatchObject({
      files: 6,
      unpacked: 1,
      folders: 4,
      withIntegrity: 6,
      truncated: false,
    });
    expect(items.get('app-cut.asar')!.classification.reasons[0]?.figures).toMatchObject({ truncated: true });
    expect(items.get('big-index.asar')!.classification.reasons[0]?.figures).toMatchObject({ indexBytes: 20776 });
    for (const file of ['not-asar-sizes.bin', 'not-asar-json.bin'])
      expect(items.get(file)!.format?.id, file).not.toBe('electron-asar');
  });
});
