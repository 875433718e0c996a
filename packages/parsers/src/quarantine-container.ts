/**
 * Antivirus quarantine files opened as a container of one member: the quarantined file restored under
 * the vendor's published key, so that every detector judges what was quarantined (the malware, a
 * document, an archive that is opened in turn). Only the layouts whose restoring is one bounded pass
 * over the bytes: Avira (XOR 0xAA after the header), Kaspersky KLQB (the 8-byte key over the file's
 * span), Trend Micro VSBX (XOR 0xFF, method 1; the CRC-keyed method 2 is not restored), G Data (RC4 of
 * what follows the two sections) and Malwarebytes `.quar` (RC4 of the whole under the key generation
 * the detector found). The header fields are read again from the whole file and must hold.
 * Reference: the detectors' sources (av-quarantine.ts, malwarebytes-quarantine.ts).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { ContainerOpener, EvidenceSource } from '@evtriage/core';
import { MemoryMemberSource } from './memory-member-source.js';
import { rc4 } from './detectors/util.js';

/** Quarantine files up to this size are restored (in memory, whole); a larger one is recorded as not opened. */
export const MAX_QUARANTINE_BYTES = 64 * 1024 * 1024;

const KLQ_KEY = [0xe2, 0x45, 0x48, 0xec, 0x69, 0x0e, 0x5c, 0xac];
const GDATA_KEY = Uint8Array.from([
  0xa7, 0xbf, 0x73, 0xa0, 0x9f, 0x03, 0xd3, 0x11, 0x85, 0x6f, 0x00, 0x80, 0xad, 0xa9, 0x6e, 0x9b,
]);
const MALWAREBYTES_KEYS = [
  'XBXM8362QIXD9+637HCB02/VN0JF6Z3)cB9UFZMdF3I.*c.,c5SbO7)WNZ8CY1(XMUDb',
  'Go9r%8hhAl7Ari;vnQ8wwkmeostfETkzLEf5*+6u8MF.CbsYKbTt9w.cVJbJ+pzyvrsT',
];

function fail(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const bad = () =>
  fail('QUARANTINE_INVALID', 'the header fields the detector read do not hold over the whole file: not restored');

export interface Restored {
  bytes: Buffer;
  /** The original file's name where the quarantine file keeps it. */
  name?: string;
  vendor: string;
}

const xor = (b: Buffer, key: readonly number[]) => Buffer.from(b.map((v, i) => v ^ key[i % key.length]!));

/** UTF-16LE text up to the first NUL unit. */
function utf16z(b: Buffer): string {
  const s = b.toString('utf16le');
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function avira(b: Buffer): Restored {
  const start = b.readUInt32LE(0x10);
  const pathBytes = b.readUInt32LE(0x14);
  const hostBytes = b.readUInt32LE(0x18);
  if (start !== 0xdc + pathBytes + hostBytes || start > b.length) throw bad();
  return { bytes: xor(b.subarray(start), [0xaa]), name: utf16z(b.subarray(0xdc, 0xdc + pathBytes)), vendor: 'Avira' };
}

function kaspersky(b: Buffer): Restored {
  const header = b.readUInt32LE(8);
  const length = Number(b.readBigUInt64LE(0x30));
  if (header < 0x38 || header > 0x1000 || header + length > b.length) throw bad();
  return { bytes: xor(b.subarray(header, header + length), KLQ_KEY), vendor: 'Kaspersky' };
}

function trend(b: Buffer): Restored {
  const clear = xor(b.subarray(0, Math.min(b.length, 0x10000)), [0xff]);
  const dataOffset = 10 + clear.readUInt32LE(4);
  const tags = clear.readUInt16LE(8);
  if (tags < 1 || tags > 15 || dataOffset > b.length) throw bad();
  let at = 10;
  let name: string | undefined;
  let method = 1;
  for (let i = 0; i < tags; i++) {
    if (at + 3 > clear.length) throw bad();
    const code = clear[at]!;
    const length = clear.readUInt16LE(at + 1);
    const value = clear.subarray(at + 3, at + 3 + length);
    if (code === 2) name = utf16z(value);
    if (code === 7 && value.length >= 4) method = value.readUInt32LE(0);
    at += 3 + length;
  }
  if (at !== dataOffset) throw bad();
  if (method !== 1)
    throw fail('QUARANTINE_UNSUPPORTED', `Trend Micro encryption method ${method} (CRC-keyed): not restored`);
  return { bytes: xor(b.subarray(dataOffset), [0xff]), ...(name ? { name } : {}), vendor: 'Trend Micro' };
}

function gdata(b: Buffer): Restored {
  const first = b.readUInt32LE(4);
  const at = 8 + first;
  if (at + 8 > b.length || b.readUInt32BE(at) !== 0xbaadf00d) throw bad();
  const second = b.readUInt32LE(at + 4);
  if (at + 8 + second > b.length) throw bad();
  return { bytes: rc4(GDATA_KEY, b.subarray(at + 8 + second)), vendor: 'G Data' };
}

function malwarebytes(b: Buffer, generation: number): Restored {
  const key = MALWAREBYTES_KEYS[generation - 1];
  if (!key) throw bad();
  return { bytes: rc4(createHash('md5').update(key).digest(), b), vendor: 'Malwarebytes' };
}

const RESTORERS: Record<string, (b: Buffer, generation: number) => Restored> = {
  'avira-quarantine': avira,
  'kaspersky-klq-quarantine': kaspersky,
  'trendmicro-vsbx-quarantine': trend,
  'gdata-quarantine': gdata,
  'malwarebytes-quarantine': malwarebytes,
};

/**
 * The quarantined file inside `bytes` (a quarantine file of `format`), or an error with a code: the header's
 * fields are checked again over the whole file, and any field pointing outside it is QUARANTINE_INVALID.
 */
export function restoreQuarantined(format: string, bytes: Buffer, generation: number): Restored {
  const restorer = RESTORERS[format];
  if (!restorer) throw fail('QUARANTINE_UNSUPPORTED', `no restorer for ${format}`);
  try {
    return restorer(bytes, generation);
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('QUARANTINE_')) throw err;
    throw bad(); // a read past the end: a field pointing outside the file
  }
}

/** The member's name: the original file's base name where the quarantine file keeps it, else `<name>.restored`. */
export function restoredMemberName(containerPath: string, original: string | undefined): string {
  const segment = path.posix.basename((original ?? '').replace(/\\/g, '/'));
  const clean = [...segment].filter((ch) => ch.charCodeAt(0) >= 0x20).join('');
  if (clean !== '' && clean !== '.' && clean !== '..') return clean;
  return `${path.posix.basename(containerPath.split('!/').pop() ?? containerPath)}.restored`;
}

export const quarantineContainer: ContainerOpener = {
  formats: Object.keys(RESTORERS),
  async open(entry, item, ctx): Promise<EvidenceSource> {
    if (!entry.open) throw fail('QUARANTINE_UNREADABLE', 'the entry has no bytes to read');
    if (entry.size > MAX_QUARANTINE_BYTES)
      throw fail(
        'QUARANTINE_TOO_LARGE',
        `${entry.size} bytes, more than the ${MAX_QUARANTINE_BYTES} restored in memory: not restored (its header was identified)`,
      );
    const reader = await entry.open();
    let bytes: Buffer;
    try {
      bytes = await reader.read(0, entry.size);
    } finally {
      await reader.close();
    }
    const generation = Number(
      item.classification.reasons.find((r) => r.figures?.['keyGeneration'])?.figures?.['keyGeneration'] ?? 0,
    );
    const restored = restoreQuarantined(item.format?.id ?? '', bytes, generation);
    if (!ctx.budget.take(restored.bytes.length))
      throw fail(
        'ARCHIVE_EXPANSION_LIMIT',
        `the restored bytes (${restored.bytes.length}) would pass what is left of the scan-wide expansion budget (${ctx.limits.maxExpandedBytes} bytes, ${ctx.budget.expanded} used; raise --max-expanded to open it)`,
      );
    // One member, the restored file, read from memory.
    return new MemoryMemberSource(
      item.path,
      'quarantine',
      restoredMemberName(item.path, restored.name),
      restored.bytes,
      {
        archive: 'quarantine',
        vendor: restored.vendor,
      },
    );
  },
};
