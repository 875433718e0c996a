/**
 * MMKV's meta file decides what its data file is: reads `<item>.crc` beside an
 * MMKV data file (or beside a page-rounded file the statistics called random
 * or unrecognised binary: an encrypted instance outside a folder named `mmkv`,
 * whose short random body before zero padding reads as mixed binary) and
 * checks it against the item. The
 * meta's CRC-32 must be the CRC-32 of the item's body (the bytes after the
 * 4-byte size header, as many as the header or the meta's last confirmed size
 * says: MMKV checks the same before it loads an instance). A confirmed instance
 * whose meta holds a non-zero AES IV (version 2 or later) is encrypted
 * (AES-128-CFB with that IV and the app's crypt key), whatever its folder; a
 * plain one gets the meta's version and sequence in its details. Without the
 * meta file, or when the CRC does not match, an item the statistics called
 * random is left alone.
 * Reference: Tencent/MMKV Core (MMKV_IO.cpp checkDataValid and
 * checkFileCRCValid, MMKVMetaInfo.hpp, loadFromFile: resetIV from the meta).
 */
import zlib from 'node:zlib';
import { defineParser, u32le, type ParseResult } from '@evtriage/core/contract';
import {
  crcHex,
  MAX_META,
  MMKV_ENCRYPTED,
  MMKV_PAGE,
  MMKV_SCHEME,
  mmkvKeyHint,
  readMmkvMeta,
} from '../detectors/mmkv.js';

/** Largest body checked against the CRC (MMKV instances are small; WeChat's largest reach tens of MiB). */
export const MAX_MMKV_BODY = 64 * 1024 * 1024;
const CRC_CHUNK = 1024 * 1024;

export const mmkvMetaParser = defineParser({
  meta: {
    id: 'mmkv-meta',
    version: '1.0.0',
    title: 'MMKV meta (.crc) check',
    formats: ['mmkv', MMKV_ENCRYPTED.id, 'unknown-encrypted', 'truecrypt-veracrypt', 'binary-unknown'],
    diagnostics: {
      MMKV_META_MISSING: 'No MMKV meta file (.crc) beside the data file: its checksum and IV could not be checked.',
      MMKV_CRC_MISMATCH:
        'The MMKV meta file beside it does not hold this body CRC-32 ({reason}): the data file was written after the meta, or they do not belong together.',
    },
  },
  requires: { minSize: MMKV_PAGE },
  priority: 30,
  async parse(ctx): Promise<ParseResult | undefined> {
    const format = ctx.item.format?.id;
    const mmkvItem = format === 'mmkv' || format === MMKV_ENCRYPTED.id;
    if (ctx.probe.size % MMKV_PAGE !== 0) return undefined;
    const headerSize = u32le(ctx.probe.head, 0);
    if (headerSize === undefined) return undefined;
    let metaBytes: Buffer | undefined;
    try {
      metaBytes = await ctx.readSibling('.crc', MAX_META);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SIBLING_TOO_LARGE') throw err;
    }
    const meta = metaBytes && readMmkvMeta(metaBytes);
    if (!meta) {
      if (mmkvItem)
        ctx.report({
          code: 'MMKV_META_MISSING',
          severity: 'info',
          message: metaBytes
            ? 'the .crc file beside it is not an MMKV meta page'
            : 'no .crc file beside it (or the source cannot read siblings)',
        });
      return undefined;
    }
    // The sizes MMKV itself tries: the header's, then (version >= 3) the meta's own and its last confirmed one.
    const sizes = [...new Set([headerSize, meta.actualSize, meta.lastActualSize])].filter(
      (s) => s > 0 && s + 4 <= ctx.probe.size && s <= MAX_MMKV_BODY,
    );
    let matched: { size: number; crc: number } | undefined;
    for (const size of sizes) {
      let crc = 0;
      // In 1 MiB reads: a large instance is never held whole.
      for (let at = 0; at < size; at += CRC_CHUNK)
        crc = zlib.crc32(await ctx.read(4 + at, Math.min(CRC_CHUNK, size - at)), crc);
      if (crc === meta.crc || (size === meta.lastActualSize && crc === meta.lastCrc)) {
        matched = { size, crc };
        break;
      }
    }
    const metaFacts = {
      version: meta.version,
      sequence: meta.sequence,
      actualSize: meta.actualSize,
      ivSet: meta.ivSet,
      crcMatches: matched !== undefined,
    };
    if (!matched) {
      if (!mmkvItem) return undefined;
      ctx.report({
        code: 'MMKV_CRC_MISMATCH',
        severity: 'warning',
        message: `meta CRC-32 ${crcHex(meta.crc)} matches no body size tried (${sizes.join(', ') || 'none fits'})`,
      });
      return { details: { meta: metaFacts } };
    }
    const encrypted = meta.ivSet && meta.version >= 2;
    if (!encrypted) return mmkvItem ? { details: { meta: metaFacts } } : undefined;
    const encryption = { scheme: MMKV_SCHEME, scope: 'full' as const, keyHint: mmkvKeyHint() };
    return {
      details: { meta: metaFacts },
      encryption,
      reclassify: {
        status: 'encrypted',
        confidence: 0.95,
        format: { ...MMKV_ENCRYPTED },
        reasons: [
          {
            code: 'MMKV_META_CONFIRMS_ENCRYPTION',
            message: `The MMKV meta file beside it (${ctx.item.path.split('/').pop()}.crc, version ${meta.version}) holds the CRC-32 of this file's ${matched.size}-byte body (${crcHex(matched.crc)}) and a non-zero AES IV: an encrypted MMKV instance (AES-128-CFB with the app's crypt key).`,
            figures: { version: meta.version, bodyBytes: matched.size, crc32: crcHex(matched.crc) },
          },
        ],
      },
    };
  },
});
