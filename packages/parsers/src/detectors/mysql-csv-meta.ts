/**
 * The CSV storage engine's meta file (`<table>.CSM`, MariaDB and MySQL, beside the table's rows in `<table>.CSV`).
 * Layout from storage/csv/ha_tina.cc (write_meta_file): 35 bytes: the check header 254, version 1, then
 * little-endian 8-byte counters (rows at 2, the check point at 10, the auto-increment value at 18, forced flushes
 * at 26) and the crashed flag at 34. Two magic bytes are too few alone: the name (.CSM), the exact size, counters
 * below 2^48 and a crashed flag of 0 or 1 decide together. libmagic reads the same two bytes as a table definition
 * (.frm) "version 0". Plain: the rows are the .CSV text.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const META_SIZE = 35;

/** The 8-byte little-endian counter at `at`, or undefined when its top 16 bits are set (no table counts so far). */
function counter(h: Uint8Array, at: number): number | undefined {
  if (u16le(h, at + 6) !== 0) return undefined;
  return u32le(h, at)! + u16le(h, at + 4)! * 2 ** 32;
}

function verdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (probe.extension !== 'csm' || probe.size !== META_SIZE || h[0] !== 0xfe || h[1] !== 0x01) return undefined;
  const rows = counter(h, 2);
  const checkPoint = counter(h, 10);
  const autoIncrement = counter(h, 18);
  const flushes = counter(h, 26);
  const crashed = h[34]!;
  if (rows === undefined || checkPoint === undefined || autoIncrement === undefined || flushes === undefined)
    return undefined;
  if (crashed > 1) return undefined;
  return plain('analysable', {
    id: 'mysql-csv-meta',
    name: 'MariaDB/MySQL CSV table meta file (.CSM)',
    confidence: 0.8,
    code: 'CSV_ENGINE_META',
    message: `CSV engine meta file: named .CSM, 35 bytes, header 254 and version 1, ${rows} row(s), ${crashed ? 'marked crashed' : 'not marked crashed'}. Not a table definition (.frm): the table's rows are in the .CSV file beside it, as text.`,
    figures: { rows, crashed },
  });
}

export const mysqlCsvMetaDetector = defineDetector({
  meta: {
    id: 'mysql-csv-meta',
    version: '1.0.0',
    title: "The CSV storage engine's meta file (.CSM), by its name, size and fields",
    formats: [
      {
        id: 'mysql-csv-meta',
        name: 'MariaDB/MySQL CSV table meta file (.CSM)',
        status: 'analysable',
        how: 'structure',
        extensions: ['csm'],
      },
    ],
  },
  minSize: META_SIZE,
  priority: 30,
  detect: verdict,
});
