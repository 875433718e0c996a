/**
 * Binary state files a Linux system compiles or records for its own tools, named from their
 * headers so that a hidden set's larger or smaller copy does not hang on the statistics:
 * - systemd's hardware database (`/usr/lib/udev/hwdb.bin`, `/etc/udev/hwdb.bin`, made by
 *   `systemd-hwdb update`): "KSLPHHRH", then the tool version, the file size and the sizes of the
 *   header, node, child and value records, the root node's offset and the lengths of the node and
 *   string sections, which add up to the file size (sd-hwdb/hwdb-internal.h, trie_header_f);
 * - systemd's message catalog index (`/var/lib/systemd/catalog/database`, made by
 *   `journalctl --update-catalog`): "RHHHKSLP", flags, the header size, the item count and size,
 *   then items of a 128-bit message id, a NUL-ended language and the offset of the text in the
 *   text section that follows them
 *   (sd-journal/catalog.c, CatalogHeader and CatalogItem);
 * - sysstat's daily activity files (`/var/log/sysstat/saDD`, `/var/log/sa/saDD`, written by sadc):
 *   the magic 0xd596, a format magic 0x21xx, the sysstat version and the header size, in the
 *   writing host's byte order (sysstat sa.h, struct file_magic).
 * - glibc's shared-library cache (`/etc/ld.so.cache`, written by ldconfig): "glibc-ld.so.cache1.1", the
 *   library count and string table length, then 24-byte entries whose name offsets point into the file
 *   (glibc elf/dl-cache.h, cache_file_new); and ldconfig's own `/var/cache/ldconfig/aux-cache`
 *   ("glibc-ld.so.auxcache-", an entry count and string length that fit the file).
 * Indexes and records that only their own tools read (systemd-hwdb query, journalctl --list-catalog,
 * sadf, ldconfig -p): opaque, none encrypted.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32le, u64le } from './util.js';

const HWDB_HEADER = 80;
const CATALOG_ITEM = 56;

function hwdb(h: Uint8Array, size: number): Detection | undefined {
  if (h.length < HWDB_HEADER) return undefined;
  const [version, fileSize, headerSize, nodeSize, childSize, valueSize, root, nodesLen, stringsLen] = Array.from(
    { length: 9 },
    (_, i) => u64le(h, 8 + i * 8) ?? -1,
  ) as [number, number, number, number, number, number, number, number, number];
  if (fileSize !== size || headerSize < HWDB_HEADER || headerSize > 4096) return undefined;
  // Record sizes are a few dozen bytes; the sections fill the file exactly.
  if ([nodeSize, childSize, valueSize].some((n) => n < 8 || n > 256)) return undefined;
  if (headerSize + nodesLen + stringsLen !== size || root < headerSize || root >= headerSize + nodesLen)
    return undefined;
  return plain('opaque', {
    id: 'systemd-hwdb',
    name: 'systemd hardware database (hwdb.bin)',
    confidence: 0.95,
    code: 'SYSTEMD_HWDB_HEADER',
    message: `systemd hardware database: "KSLPHHRH" header written by systemd ${version}, whose file size field is the file's and whose header (${headerSize} bytes), node section (${nodesLen}) and string section (${stringsLen}) fill it exactly; a compiled index of hwdb.d text that systemd-hwdb reads, not encrypted.`,
    figures: { toolVersion: version, nodesLength: nodesLen, stringsLength: stringsLen },
  });
}

function catalog(h: Uint8Array, size: number): Detection | undefined {
  const dv = new DataView(h.buffer, h.byteOffset, h.length);
  if (h.length < 40) return undefined;
  const incompatible = dv.getUint32(12, true);
  const headerSize = u64le(h, 16) ?? 0;
  const items = u64le(h, 24) ?? 0;
  const itemSize = u64le(h, 32) ?? 0;
  if (incompatible !== 0 || headerSize < 40 || headerSize > 4096 || itemSize < CATALOG_ITEM || itemSize > 1024)
    return undefined;
  const textStart = headerSize + items * itemSize;
  if (items === 0 || textStart >= size) return undefined;
  // The items within the head: a NUL-ended language of letters and '_', an offset into the text section.
  let checked = 0;
  for (let i = 0; i < items && headerSize + (i + 1) * itemSize <= h.length; i++, checked++) {
    const at = headerSize + i * itemSize;
    const lang = h.subarray(at + 16, at + 48);
    const end = lang.indexOf(0);
    if (end < 0) return undefined;
    for (let j = 0; j < end; j++) {
      const c = lang[j]!;
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x40)) return undefined;
    }
    // Counted from the start of the text section.
    const offset = u64le(h, at + 48) ?? -1;
    if (offset < 0 || textStart + offset >= size) return undefined;
  }
  if (checked === 0) return undefined;
  return plain('opaque', {
    id: 'systemd-catalog',
    name: 'systemd message catalog index',
    confidence: 0.95,
    code: 'SYSTEMD_CATALOG_HEADER',
    message: `systemd message catalog index: "RHHHKSLP" header, ${items} items of ${itemSize} bytes whose languages and text offsets hold (${checked} checked); a compiled index of the .catalog files journalctl reads, not encrypted.`,
    figures: { items, itemSize, checked },
  });
}

function sysstat(h: Uint8Array, size: number): Detection | undefined {
  if (h.length < 12) return undefined;
  const le = h[0] === 0x96 && h[1] === 0xd5;
  const dv = new DataView(h.buffer, h.byteOffset, h.length);
  const format = dv.getUint16(2, le);
  const [major, minor, patch] = [h[4]!, h[5]!, h[6]!];
  const headerSize = dv.getUint32(8, le);
  // Format magics 0x2170-0x21ff (sysstat 9 on); versions 8-20 with small minor numbers.
  if ((format & 0xff00) !== 0x2100 || format < 0x2170 || major < 8 || major > 20 || minor > 30 || patch > 30)
    return undefined;
  if (headerSize < 64 || headerSize > 4096 || headerSize >= size) return undefined;
  return plain('opaque', {
    id: 'sysstat-sa',
    name: 'sysstat activity file (sa)',
    confidence: 0.9,
    code: 'SYSSTAT_FILE_MAGIC',
    message: `sysstat daily activity file: magic 0xd596 (${le ? 'little' : 'big'}-endian host), format 0x${format.toString(16)}, written by sysstat ${major}.${minor}.${patch}, a ${headerSize}-byte file header; records only sadf and sar read, not encrypted.`,
    figures: { format, version: `${major}.${minor}.${patch}`, headerSize },
  });
}

const LDSO_MAGIC = 'glibc-ld.so.cache1.1';
const AUX_MAGIC = 'glibc-ld.so.auxcache-';
const LDSO_HEADER = 48;
const LDSO_ENTRY = 24;

function ldsoCache(h: Uint8Array, size: number): Detection | undefined {
  const libs = u32le(h, 20) ?? 0;
  const strings = u32le(h, 24) ?? 0;
  const extension = u32le(h, 32) ?? 0;
  const end = LDSO_HEADER + libs * LDSO_ENTRY + strings;
  if (libs === 0 || end > size || (extension !== 0 && (extension < end || extension >= size))) return undefined;
  // The entries within the head: name and path offsets inside the file, after the entries.
  let checked = 0;
  for (let i = 0; i < libs && LDSO_HEADER + (i + 1) * LDSO_ENTRY <= h.length; i++, checked++) {
    const at = LDSO_HEADER + i * LDSO_ENTRY;
    for (const offset of [u32le(h, at + 4)!, u32le(h, at + 8)!])
      if (offset < LDSO_HEADER + libs * LDSO_ENTRY || offset >= end) return undefined;
  }
  if (checked === 0) return undefined;
  return plain('opaque', {
    id: 'ld-so-cache',
    name: "glibc's shared-library cache (ld.so.cache)",
    confidence: 0.95,
    code: 'LDSO_CACHE_HEADER',
    message: `glibc's shared-library cache: "${LDSO_MAGIC}" header, ${libs} libraries whose name and path offsets fall in its ${strings}-byte string table (${checked} checked); written by ldconfig, read by the dynamic loader and ldconfig -p, not encrypted.`,
    figures: { libraries: libs, stringsLength: strings, checked },
  });
}

function auxCache(h: Uint8Array, size: number): Detection | undefined {
  // "glibc-ld.so.auxcache-" then a three-character version ("2.0"), the entry count and the string length.
  const version = String.fromCharCode(...h.subarray(21, 24));
  const entries = u32le(h, 24) ?? 0;
  const strings = u32le(h, 28) ?? 0;
  if (!/^\d\.\d$/.test(version) || entries === 0 || 32 + strings > size || entries > size) return undefined;
  return plain('opaque', {
    id: 'ldconfig-aux-cache',
    name: "ldconfig's auxiliary cache (aux-cache)",
    confidence: 0.9,
    code: 'LDCONFIG_AUX_CACHE_HEADER',
    message: `ldconfig's auxiliary cache: "${AUX_MAGIC}${version}" header, ${entries} entries and a ${strings}-byte string table that fit the file; only ldconfig reads it, not encrypted.`,
    figures: { version, entries, stringsLength: strings },
  });
}

export const linuxBinaryStateDetector = defineDetector({
  meta: {
    id: 'linux-binary-state',
    version: '1.0.0',
    title:
      "Linux systems' compiled indexes and activity records (hwdb.bin, catalog database, sysstat sa files, ld.so.cache)",
    formats: [
      { id: 'systemd-hwdb', name: 'systemd hardware database (hwdb.bin)', status: 'opaque', how: 'structure' },
      { id: 'systemd-catalog', name: 'systemd message catalog index', status: 'opaque', how: 'structure' },
      { id: 'sysstat-sa', name: 'sysstat activity file (sa)', status: 'opaque', how: 'structure' },
      { id: 'ld-so-cache', name: "glibc's shared-library cache (ld.so.cache)", status: 'opaque', how: 'structure' },
      { id: 'ldconfig-aux-cache', name: "ldconfig's auxiliary cache (aux-cache)", status: 'opaque', how: 'structure' },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'KSLPHHRH' },
    { offset: 0, ascii: 'RHHHKSLP' },
    { offset: 0, hex: '96d5' },
    { offset: 0, hex: 'd596' },
    { offset: 0, ascii: LDSO_MAGIC },
    { offset: 0, ascii: AUX_MAGIC },
  ],
  minSize: 12,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = String.fromCharCode(...h.subarray(0, 8));
    if (magic === 'KSLPHHRH') return hwdb(h, probe.size);
    if (magic === 'RHHHKSLP') return catalog(h, probe.size);
    const text = String.fromCharCode(...h.subarray(0, AUX_MAGIC.length));
    if (text.startsWith(LDSO_MAGIC)) return ldsoCache(h, probe.size);
    if (text === AUX_MAGIC) return auxCache(h, probe.size);
    if ((h[0] === 0x96 && h[1] === 0xd5) || (h[0] === 0xd5 && h[1] === 0x96)) return sysstat(h, probe.size);
    return undefined;
  },
});
