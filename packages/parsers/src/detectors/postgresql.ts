/**
 * PostgreSQL's own files in a data directory (layouts from src/include/storage/bufpage.h,
 * access/xlog_internal.h, catalog/pg_control.h). PostgreSQL has no encryption at rest of its own: these are
 * plain, read by the tools named in each reason.
 * - Relation files (`base/<db>/<relfilenode>`, `global/…`, their `_fsm` and `_vm` forks, tables and indexes):
 *   whole pages, each starting with a 24-byte page header: LSN, checksum, flags (3 bits), pd_lower, pd_upper,
 *   pd_special (24 ≤ lower ≤ upper ≤ special ≤ page size) and pd_pagesize_version (the page size plus layout
 *   version 4). pg_filedump and the pageinspect extension read them.
 * - WAL segments (`pg_wal/000000010000000000000001`): the first page's long header: a magic (0xD0xx–0xD1xx, one per
 *   major version), the XLP_LONG_HEADER flag, timeline, page address (a whole segment), the system identifier,
 *   the segment size (a power of two, 1 MiB–1 GiB) and the WAL block size. pg_waldump reads them.
 * - pg_control (`global/pg_control`): 8 KiB holding the system identifier, pg_control_version and the catalog
 *   version, the struct ending in a CRC-32C of what precedes it. pg_controldata reads it.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { crc32c } from './leveldb.js';
import { plain, u16le, u32le } from './util.js';

const LAYOUT_VERSION = 4;
const XLP_LONG_HEADER = 0x0002;
const CONTROL_FILE_SIZE = 8192;
const CONTROL_VERSIONS = new Set([903, 922, 937, 942, 960, 1002, 1100, 1201, 1300, 1700, 1800]);
const FORMATS = {
  relation: { id: 'postgresql-relation', name: 'PostgreSQL relation file (table, index, FSM or VM fork)' },
  wal: { id: 'postgresql-wal-segment', name: 'PostgreSQL WAL segment' },
  control: { id: 'postgresql-pg-control', name: 'PostgreSQL control file (pg_control)' },
} as const;

const isPow2 = (n: number, lo: number, hi: number) => n >= lo && n <= hi && (n & (n - 1)) === 0;

/** The page header at `at` is one PostgreSQL writes for pages of `pageSize`. */
function pageHeaderOk(h: Uint8Array, at: number, pageSize: number): boolean {
  const flags = u16le(h, at + 10)!;
  const lower = u16le(h, at + 12)!;
  const upper = u16le(h, at + 14)!;
  const special = u16le(h, at + 16)!;
  const sizeVersion = u16le(h, at + 18)!;
  return (
    sizeVersion === (pageSize & 0xff00) + LAYOUT_VERSION &&
    flags <= 7 &&
    lower >= 24 &&
    (lower - 24) % 4 === 0 &&
    lower <= upper &&
    upper <= special &&
    special <= pageSize &&
    special % 8 === 0
  );
}

function relation(probe: Probe): Detection | undefined {
  const h = probe.head;
  const sizeVersion = u16le(h, 18);
  if (sizeVersion === undefined || (sizeVersion & 0xff) !== LAYOUT_VERSION) return undefined;
  // Page sizes of 8–32 KiB keep their low byte zero; 32 KiB is stored as 0x8000.
  const pageSize = sizeVersion & 0xff00;
  if (!isPow2(pageSize, 1024, 32768) || probe.size < pageSize || probe.size % pageSize !== 0) return undefined;
  // Every page in the head is a PostgreSQL page (or a new, zeroed one), the first always.
  let pages = 0;
  for (let at = 0; at + pageSize <= h.length; at += pageSize) {
    const zero = h.subarray(at, at + 24).every((b) => b === 0);
    if (!pageHeaderOk(h, at, pageSize) && !(at > 0 && zero)) return undefined;
    pages++;
  }
  if (pages === 0 && !pageHeaderOk(h, 0, pageSize)) return undefined;
  const lower = u16le(h, 12)!;
  const special = u16le(h, 16)!;
  return plain('analysable', {
    ...FORMATS.relation,
    confidence: 0.85,
    code: 'POSTGRESQL_PAGE_HEADER',
    message: `PostgreSQL relation file: ${probe.size / pageSize} pages of ${pageSize} bytes; page 0's header has layout version 4, pd_lower ${lower}, pd_special ${special}${special < pageSize ? ` (${pageSize - special} bytes of index special space)` : ''}, and ${pages > 1 ? `the ${pages} pages read agree` : 'its bounds agree'}. Plain (PostgreSQL has no encryption at rest): pg_filedump and pageinspect read it.`,
    figures: { pageSize, pages: probe.size / pageSize, pdLower: lower, pdSpecial: special },
  });
}

function walSegment(probe: Probe): Detection | undefined {
  const h = probe.head;
  const magic = u16le(h, 0);
  if (magic === undefined || magic < 0xd000 || magic > 0xd1ff || h.length < 40) return undefined;
  const info = u16le(h, 2)!;
  const timeline = u32le(h, 4)!;
  const pageAddr = u32le(h, 12)! * 2 ** 32 + u32le(h, 8)!;
  const segSize = u32le(h, 32)!;
  const blockSize = u32le(h, 36)!;
  if ((info & XLP_LONG_HEADER) === 0 || info > 0x0007 || timeline === 0) return undefined;
  if (!isPow2(segSize, 1 << 20, 1 << 30) || !isPow2(blockSize, 1024, 65536) || pageAddr % segSize !== 0)
    return undefined;
  if (probe.size > segSize || probe.size % blockSize !== 0) return undefined;
  const whole = probe.size === segSize;
  return plain('analysable', {
    ...FORMATS.wal,
    confidence: 0.9,
    code: 'POSTGRESQL_WAL_LONG_HEADER',
    message: `PostgreSQL WAL segment: the first page's long header (magic 0x${magic.toString(16).toUpperCase()}, timeline ${timeline}, segment at ${pageAddr}, ${segSize}-byte segments of ${blockSize}-byte pages)${whole ? '' : `; ${probe.size} of its ${segSize} bytes are here (a cut segment)`}. Plain (PostgreSQL has no encryption at rest): pg_waldump reads it.`,
    figures: { magic, timeline, segmentSize: segSize, blockSize, complete: whole },
  });
}

function controlFile(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (probe.size !== CONTROL_FILE_SIZE || h.length < 512) return undefined;
  const version = u32le(h, 8)!;
  const catalog = u32le(h, 12)!;
  if (!CONTROL_VERSIONS.has(version) || catalog < 200_000_000 || catalog > 299_999_999) return undefined;
  // ControlFileData ends in a CRC-32C of the bytes before it; its length differs between versions.
  let crcAt = -1;
  for (let k = 128; k <= 508; k += 4) {
    if (crc32c(h.subarray(0, k)) === u32le(h, k)) {
      crcAt = k;
      break;
    }
  }
  if (crcAt < 0) return undefined;
  return plain('analysable', {
    ...FORMATS.control,
    confidence: 0.95,
    code: 'POSTGRESQL_CONTROL_FILE',
    message: `PostgreSQL control file: 8192 bytes, pg_control_version ${version}, catalog version ${catalog}, and the CRC-32C at ${crcAt} matches the bytes before it. pg_controldata reads it.`,
    figures: { controlVersion: version, catalogVersion: catalog, crcOffset: crcAt },
  });
}

export const postgresqlDetector = defineDetector({
  meta: {
    id: 'postgresql',
    version: '1.0.0',
    title: 'PostgreSQL data directory files: relation pages, WAL segments and pg_control',
    formats: [
      { ...FORMATS.relation, status: 'analysable', how: 'structure' },
      { ...FORMATS.wal, status: 'analysable', how: 'header-field' },
      { ...FORMATS.control, status: 'analysable', how: 'header-field' },
    ],
  },
  minSize: 40,
  priority: 30,
  detect: (probe) => controlFile(probe) ?? walSegment(probe) ?? relation(probe),
});
