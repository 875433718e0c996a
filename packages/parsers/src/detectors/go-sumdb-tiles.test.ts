import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { goSumdbTilesDetector } from './go-sumdb-tiles.js';

const CACHE = 'home/dev/go/pkg/mod/cache/download/sumdb/sum.golang.org';

// Tiles written from the published tlog layout (generate.sh); each case places the bytes where the go command would.
testDetector(
  goSumdbTilesDetector,
  {
    fixtures: new URL('../../fixtures/go-sumdb-tiles/', import.meta.url),
    valid: [
      {
        file: 'tile-8-0-000',
        path: `${CACHE}/tile/8/0/000`,
        format: 'go-sumdb-tile',
        status: 'opaque',
        reasons: ['GO_SUMDB_TILE_PATH'],
      },
      {
        file: 'tile-8-0-001.p-5',
        path: `${CACHE}/tile/8/0/001.p/5`,
        format: 'go-sumdb-tile',
        status: 'opaque',
        reasons: ['GO_SUMDB_TILE_PATH'],
      },
      {
        file: 'tile-8-0-000',
        path: `${CACHE}/tile/8/1/x001/x234/067`,
        format: 'go-sumdb-tile',
        status: 'opaque',
        reasons: ['GO_SUMDB_TILE_PATH'],
      },
    ],
    invalid: [
      // Random-looking bytes outside a sumdb folder, and sizes that disagree with the path.
      { file: 'tile-8-0-000', path: 'backup/tile/8/0/000' },
      { file: 'tile-8-0-001.p-5', path: `${CACHE}/tile/8/0/001` },
      { file: 'tile-8-0-000', path: `${CACHE}/tile/8/0/001.p/5` },
      { file: 'tile-8-0-000', path: `${CACHE}/tile/8/data/000` },
    ],
  },
  { framework: { describe, it } },
);
