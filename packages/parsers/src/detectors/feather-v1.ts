/**
 * Feather version 1 files (Apache Arrow's feather.fbs; written by R's feather package and pandas from 2016 to
 * about 2020, still by pyarrow on request): "FEA1" at both ends, the column data, then a FlatBuffers CTable (the
 * schema and row count) whose length stands in the 4 bytes before the final magic. Version 2 is the Arrow IPC
 * file format ("ARROW1"), which file-type names. A match needs the magic at both ends, a metadata length inside
 * the file and, where the probe holds the metadata, a FlatBuffers root offset inside it. pyarrow and R read it:
 * analysable.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

export const featherV1Detector = defineDetector({
  meta: {
    id: 'feather-v1',
    version: '1.0.0',
    title: 'Feather version 1 data files (magic at both ends, FlatBuffers metadata)',
    formats: [
      {
        id: 'feather-v1',
        name: 'Feather v1 data file',
        status: 'analysable',
        how: 'structure',
        extensions: ['feather', 'fea'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: Buffer.from('FEA1').toString('hex') }],
  minSize: 16,
  priority: 40,
  detect(probe): Detection | undefined {
    const last = probe.complete ? probe.head : probe.tail;
    const n = last.length;
    if (ascii(probe.head, 0, 4) !== 'FEA1' || n < 8 || ascii(last, n - 4, n) !== 'FEA1') return undefined;
    const metadata = u32le(last, n - 8) ?? 0;
    if (metadata < 8 || metadata + 12 > probe.size) return undefined;
    // The FlatBuffers root: a u32 offset from the metadata's start to its table, inside the metadata.
    const at = n - 8 - metadata;
    if (at >= 0 && (u32le(last, at) ?? 0) >= metadata) return undefined;
    return plain('analysable', {
      id: 'feather-v1',
      name: 'Feather v1 data file',
      confidence: 0.9,
      code: 'FEATHER_V1_LAYOUT',
      message: `"FEA1" at both ends and ${metadata} bytes of FlatBuffers metadata (the table's schema and row count) before the final magic: a Feather version 1 file, which pyarrow and R read.`,
      figures: { metadataBytes: metadata },
    });
  },
});
