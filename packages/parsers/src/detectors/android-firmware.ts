/**
 * Android partition images and update files that libmagic does not know:
 *
 * - vendor_boot images ("VNDRBOOT", boot header v3/v4): the vendor ramdisk
 *   (gzip or LZ4, high entropy) and device tree follow a 2 KiB header; the
 *   statistics alone would call the file ciphertext.
 * - vbmeta images ("AVB0"): Android Verified Boot's signed metadata (hash
 *   and hashtree descriptors, the signer's public key). Signed, not encrypted.
 * - A/B OTA payloads ("CrAU", update_engine's payload.bin): a protobuf
 *   manifest, then the partitions' operations as XZ/bzip2/Brotli/zstd blobs
 *   or binary diffs: compressed, not encrypted.
 * - Logical-partition (super) images: the LpMetadataGeometry at 4 KiB (or at 0
 *   in super_empty.img), confirmed by its SHA-256 checksum.
 *
 * Each header is confirmed by fields random bytes do not fake: sizes that fit
 * the file, block sizes that are powers of two, reserved values, a checksum.
 * References (AOSP): system/tools/mkbootimg include/bootimg/bootimg.h
 * (vendor_boot_img_hdr_v3/v4); external/avb libavb/avb_vbmeta_image.h
 * (AvbVBMetaImageHeader); system/update_engine update_metadata.proto and
 * payload_consumer (the CrAU header); system/core fs_mgr/liblp
 * include/liblp/metadata_format.h (LpMetadataGeometry). vendor_boot fixtures
 * are made by Debian's mkbootimg; the others are written from those layouts
 * (fixtures/android-firmware/generate.sh) as no Debian tool writes them.
 */
import crypto from 'node:crypto';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u32be, u32le, u64be, varint } from './util.js';

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
const pages = (bytes: number, page: number): number => Math.ceil(bytes / page) * page;

/** A NUL-terminated printable string in b[from, to), or undefined. */
function cString(b: Uint8Array, from: number, to: number): string | undefined {
  const end = b.subarray(from, to).indexOf(0);
  if (end < 0) return undefined;
  const text = ascii(b, from, from + end);
  return /^[\x20-\x7e]*$/.test(text) ? text : undefined;
}

function compressionOf(b: Uint8Array, at: number): string {
  if (b[at] === 0x1f && b[at + 1] === 0x8b) return 'gzip';
  if (u32le(b, at) === 0x184c2102 || u32le(b, at) === 0x184d2204) return 'LZ4';
  return 'unrecognised';
}

function vendorBoot(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u32le(h, 8);
  const page = u32le(h, 12);
  const ramdisk = u32le(h, 24);
  const headerSize = u32le(h, 2096);
  const dtb = u32le(h, 2100);
  if (version === undefined || page === undefined || ramdisk === undefined || headerSize === undefined)
    return undefined;
  if ((version !== 3 && version !== 4) || !isPowerOfTwo(page) || page < 2048 || page > 65536) return undefined;
  if (
    !(version === 3 ? [2108, 2112] : [2128]).includes(headerSize) ||
    dtb === undefined ||
    cString(h, 28, 2076) === undefined
  )
    return undefined;
  // v3 headers are 2112 bytes (AOSP's bootimg.h); the Android 10-era mkbootimg Debian ships writes 2108.
  let total = pages(headerSize, page) + pages(ramdisk, page) + pages(dtb, page);
  if (version === 4) {
    const table = u32le(h, 2112) ?? 0;
    const bootconfig = u32le(h, 2124) ?? 0;
    total += pages(table, page) + pages(bootconfig, page);
  }
  if (total > probe.size || ramdisk === 0) return undefined;
  const name = cString(h, 2080, 2096) ?? '';
  const compression = compressionOf(h, pages(headerSize, page));
  return plain('analysable', {
    id: 'android-vendor-boot',
    name: 'Android vendor_boot image',
    confidence: 0.94,
    code: 'VENDOR_BOOT_HEADER',
    message:
      `"VNDRBOOT" header v${version}${name ? ` (${name})` : ''}, page size ${page}: a ${ramdisk}-byte vendor ramdisk ` +
      `(${compression}) and a ${dtb}-byte device tree that fit the file; compressed, not encrypted.`,
    figures: { headerVersion: version, pageSize: page, ramdiskBytes: ramdisk, dtbBytes: dtb },
  });
}

const AVB_ALGORITHMS = [
  'NONE',
  'SHA256_RSA2048',
  'SHA256_RSA4096',
  'SHA256_RSA8192',
  'SHA512_RSA2048',
  'SHA512_RSA4096',
  'SHA512_RSA8192',
];

function vbmeta(probe: Probe): Detection | undefined {
  const h = probe.head;
  const major = u32be(h, 4);
  const auth = u64be(h, 12);
  const aux = u64be(h, 20);
  const algorithm = u32be(h, 28);
  if (major !== 1 || auth === undefined || aux === undefined || algorithm === undefined) return undefined;
  if (auth % 64 !== 0 || aux % 64 !== 0 || 256 + auth + aux > probe.size || !AVB_ALGORITHMS[algorithm])
    return undefined;
  // Hash and signature lie in the authentication block; public key, its metadata and descriptors in the auxiliary one.
  const within = (field: number, block: number): boolean => {
    const offset = u64be(h, field);
    const size = u64be(h, field + 8);
    return offset !== undefined && size !== undefined && offset + size <= block;
  };
  if (![32, 48].every((f) => within(f, auth)) || ![64, 80, 96].every((f) => within(f, aux))) return undefined;
  const release = cString(h, 128, 176);
  if (release === undefined) return undefined;
  return plain('analysable', {
    id: 'android-vbmeta',
    name: 'Android Verified Boot metadata (vbmeta)',
    confidence: 0.94,
    code: 'AVB_VBMETA_HEADER',
    message:
      `"AVB0" header (libavb 1.x, ${AVB_ALGORITHMS[algorithm]}${release ? `, "${release}"` : ''}): ` +
      `${auth}-byte authentication and ${aux}-byte auxiliary blocks whose fields fit them; signed, not encrypted.`,
    figures: { algorithm: AVB_ALGORITHMS[algorithm], authBytes: auth, auxBytes: aux },
  });
}

/** The manifest's partition names (field 13, its field 1), walking the protobuf in the bytes read. */
function otaManifest(b: Uint8Array, from: number, to: number): { fields: number; partitions: string[] } | undefined {
  let fields = 0;
  const partitions: string[] = [];
  for (let at = from; at < to; fields++) {
    const key = varint(b, at);
    if (!key) break; // the head ended inside the manifest
    const [tag, next] = key;
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0 || field > 64) return undefined;
    if (wire === 0) {
      const v = varint(b, next);
      if (!v) break;
      at = v[1];
    } else if (wire === 2) {
      const len = varint(b, next);
      if (!len || len[1] + len[0] > to) return len ? undefined : { fields, partitions };
      if (field === 13) {
        const nameKey = b[len[1]];
        const nameLen = b[len[1] + 1];
        if (nameKey === 0x0a && nameLen !== undefined && nameLen < 64 && len[1] + 2 + nameLen <= b.length)
          partitions.push(ascii(b, len[1] + 2, len[1] + 2 + nameLen));
      }
      at = len[1] + len[0];
    } else if (wire === 1 || wire === 5) at = next + (wire === 1 ? 8 : 4);
    else return undefined;
  }
  return { fields, partitions };
}

function otaPayload(probe: Probe): Detection | undefined {
  const h = probe.head;
  const version = u64be(h, 4);
  const manifest = u64be(h, 12);
  if ((version !== 1 && version !== 2) || manifest === undefined || manifest < 2) return undefined;
  const signature = version === 2 ? u32be(h, 20) : 0;
  const start = version === 2 ? 24 : 20;
  if (signature === undefined || start + manifest + signature > probe.size) return undefined;
  const m = otaManifest(h, start, start + manifest);
  if (!m || m.fields < 2) return undefined;
  const names = m.partitions.filter((p) => /^[a-z0-9_]+$/.test(p));
  return plain('analysable', {
    id: 'android-ota-payload',
    name: 'Android A/B OTA payload (update_engine)',
    confidence: 0.94,
    code: 'OTA_PAYLOAD_HEADER',
    message:
      `"CrAU" header v${version} with a ${manifest}-byte manifest whose protobuf fields parse` +
      `${names.length ? ` (partitions ${names.slice(0, 8).join(', ')})` : ''}: the operations after it are ` +
      'compressed blobs and diffs, not ciphertext.',
    figures: { version, manifestBytes: manifest, signatureBytes: signature },
  });
}

const LP_GEOMETRY_MAGIC = 0x616c4467;

function lpGeometry(probe: Probe): Detection | undefined {
  for (const at of [4096, 0]) {
    const h = probe.head;
    if (u32le(h, at) !== LP_GEOMETRY_MAGIC || u32le(h, at + 4) !== 52 || at + 52 > h.length) continue;
    const geometry = Buffer.from(h.subarray(at, at + 52));
    const checksum = Buffer.from(geometry.subarray(8, 40));
    geometry.fill(0, 8, 40);
    if (!crypto.createHash('sha256').update(geometry).digest().equals(checksum)) continue;
    const maxSize = geometry.readUInt32LE(40);
    const slots = geometry.readUInt32LE(44);
    const block = geometry.readUInt32LE(48);
    return plain('analysable', {
      id: 'android-super-lp',
      name: 'Android logical-partition (super) image',
      confidence: 0.95,
      code: 'LP_METADATA_GEOMETRY',
      message:
        `LpMetadataGeometry at offset ${at} with a valid SHA-256 checksum: ${slots} metadata slot(s) of up to ` +
        `${maxSize} bytes, ${block}-byte logical blocks; the partitions (ext4, EROFS, F2FS) lie behind it.`,
      figures: { offset: at, metadataSlots: slots, logicalBlockSize: block },
    });
  }
  return undefined;
}

export const androidFirmwareDetector = defineDetector({
  meta: {
    id: 'android-firmware',
    version: '1.0.0',
    title: 'Android images: vendor_boot, vbmeta, A/B OTA payloads and super (logical partition) images',
    formats: [
      {
        id: 'android-vendor-boot',
        name: 'Android vendor_boot image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['img'],
      },
      {
        id: 'android-vbmeta',
        name: 'Android Verified Boot metadata (vbmeta)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['img'],
      },
      {
        id: 'android-ota-payload',
        name: 'Android A/B OTA payload (update_engine)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['bin'],
      },
      {
        id: 'android-super-lp',
        name: 'Android logical-partition (super) image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['img'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'VNDRBOOT' },
    { offset: 0, ascii: 'AVB0' },
    { offset: 0, ascii: 'CrAU' },
    { offset: 0, hex: '67446c61' },
    { offset: 4096, hex: '67446c61' },
  ],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, 'VNDRBOOT')) return vendorBoot(probe);
    if (startsWith(h, 'AVB0')) return vbmeta(probe);
    if (startsWith(h, 'CrAU')) return otaPayload(probe);
    return lpGeometry(probe);
  },
});
