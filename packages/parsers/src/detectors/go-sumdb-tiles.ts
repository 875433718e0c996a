/**
 * Tiles of the Go checksum database that the go command keeps in its module
 * cache (`$GOMODCACHE/cache/download/sumdb/sum.golang.org/tile/…`, on every
 * machine that has fetched a Go module since Go 1.13). A hash tile is the
 * concatenated SHA-256 hashes of one stretch of a level of the transparency
 * log's Merkle tree: no header, uniformly random bytes, which the statistics
 * took for ciphertext. Only the path says what they are, and the size must
 * agree with it: `tile/<H>/<L>/<N>` holds 2^H hashes of 32 bytes, and a
 * partial tile `…/<N>.p/<W>` holds W. `<N>` is written in three-digit groups,
 * all but the last prefixed with "x" (`x001/x234/067`). Data tiles
 * (`tile/<H>/data/<N>`) hold the go.sum lines themselves, text decided by its
 * own bytes. Opaque: hashes, not ciphertext, read by the go command only.
 * Reference: golang.org/x/mod/sumdb/tlog (tile.go: Tile.Path, ParseTilePath;
 * tlog.go: RecordHash, NodeHash).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** `sumdb/<host>/tile/<H>/<L>/<N groups>[.p/<W>]`, L a level number (data tiles are text). */
const TILE_PATH = /(?:^|\/)sumdb\/[^/]+\/tile\/(\d{1,2})\/(\d{1,2})\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,5}))?$/;
const HASH_BYTES = 32;

export const goSumdbTilesDetector = defineDetector({
  meta: {
    id: 'go-sumdb-tiles',
    version: '1.0.0',
    title: "Go checksum database tiles in the go command's module cache",
    formats: [{ id: 'go-sumdb-tile', name: 'Go checksum database hash tile', status: 'opaque', how: 'path' }],
  },
  minSize: HASH_BYTES,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = TILE_PATH.exec(probe.logicalPath);
    if (!m) return undefined;
    const height = Number(m[1]);
    const level = Number(m[2]);
    const full = 2 ** height;
    const width = m[4] === undefined ? full : Number(m[4]);
    if (height < 1 || height > 30 || width < 1 || width > full || probe.size !== width * HASH_BYTES) return undefined;
    const index = m[3]!.replace(/x/g, '').replace(/\//g, '');
    return plain('opaque', {
      id: 'go-sumdb-tile',
      name: 'Go checksum database hash tile',
      confidence: 0.9,
      code: 'GO_SUMDB_TILE_PATH',
      message: `Go checksum database hash tile ${Number(index)} of level ${level} (height ${height}): the path "tile/${height}/${level}/${m[3]}${m[4] === undefined ? '' : `.p/${width}`}" in the module cache's sumdb folder, and ${width} SHA-256 hashes of 32 bytes that fill the file exactly. Merkle-tree hashes of a public log, random-looking but not ciphertext.`,
      figures: { height, level, tile: Number(index), hashes: width, partial: width !== full },
    });
  },
});
