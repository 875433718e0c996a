/**
 * Windows records with no general reader: Task Scheduler `.job` files, the
 * Windows XP System Restore logs (`rp.log`, `change.log*`) and custom
 * destinations Jump lists (`.customDestinations-ms`). All are niche binary
 * that forensic tools parse: opaque, and named so that their statistics never
 * decide them. Each is believed only when fields tied to the file agree
 * (offsets and sizes that fit it, versions, counts, a footer).
 * References: libyal/dtformats "Job file format" ([MS-TSCH] .JOB), "Restore
 * point formats" (RESTOREPOINTINFOW, CHANGE_LOG_HEADER/ENTRY), "Jump lists
 * format" (custom destinations header, categories, LNK entries, footer).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { guidAt, plain, probeBytes, u16le, u32le, u64le } from './util.js';

/** Product versions [MS-TSCH] defines (Windows NT 4.0 to 10). */
const JOB_PRODUCTS = new Map([
  [0x0400, 'Windows NT 4.0'],
  [0x0500, 'Windows 2000'],
  [0x0501, 'Windows XP'],
  [0x0600, 'Windows Vista'],
  [0x0601, 'Windows 7'],
  [0x0602, 'Windows 8'],
  [0x0603, 'Windows 8.1'],
  [0x0a00, 'Windows 10'],
]);
const JOB_FIXED = 68;
const JOB_TRIGGER = 48;
const JOB_SIGNATURE = 68;

/** RESTOREPOINTINFOW: event type, restore point type, sequence number, 256 UTF-16 characters; then a FILETIME. */
const RP_LOG_SIZE = 16 + 512 + 8;
const CHANGE_LOG_SIGNATURE = 0xabcdef12;
/** The LNK class identifier, 00021401-0000-0000-c000-000000000046, as stored. */
const LNK_CLSID = Buffer.from('0114020000000000c000000000000046', 'hex');
const LNK_HEADER = Buffer.concat([Buffer.from('4c000000', 'hex'), LNK_CLSID]);
const JUMPLIST_FOOTER = 0xbabffbab;

/** FILETIME between 1995 and 2100. */
function plausibleFiletime(v: number | undefined): boolean {
  return v !== undefined && v > 125_000_000_000_000_000 && v < 157_000_000_000_000_000;
}

function jobFile(probe: Probe): Detection | undefined {
  const h = probe.head;
  const product = u16le(h, 0) ?? 0;
  if (!JOB_PRODUCTS.has(product) || u16le(h, 2) !== 1 || probe.size < JOB_FIXED + 2 + 2 + JOB_TRIGGER) return undefined;
  // The application name follows the fixed section and the running instance count; the triggers end the file
  // (or precede the optional 68-byte job signature).
  const nameOffset = u16le(h, 20);
  const triggersOffset = u16le(h, 22) ?? 0;
  const status = u32le(h, 44) ?? 0;
  if (nameOffset !== JOB_FIXED + 2 || triggersOffset <= nameOffset || triggersOffset + 2 > probe.size) return undefined;
  if (status >>> 8 !== 0x413) return undefined;
  const count = u16le(probeBytes(probe, triggersOffset, 2) ?? new Uint8Array(), 0);
  if (count === undefined) return undefined;
  const end = triggersOffset + 2 + count * JOB_TRIGGER;
  if (end !== probe.size && end + JOB_SIGNATURE !== probe.size) return undefined;
  // Each trigger says its own size.
  for (let i = 0; i < count; i++) {
    const trigger = probeBytes(probe, triggersOffset + 2 + i * JOB_TRIGGER, 2);
    if (trigger && u16le(trigger, 0) !== JOB_TRIGGER) return undefined;
  }
  return plain('opaque', {
    id: 'windows-task-job',
    name: 'Windows Task Scheduler job file',
    confidence: 0.93,
    code: 'TASK_JOB_HEADER',
    message: `Task Scheduler .job file (${JOB_PRODUCTS.get(product)!} product version, file version 1, job ${guidAt(h, 4)}) whose ${count} trigger(s) end the file where its header says: a scheduled task's definition for a job-file parser; not encrypted.`,
    figures: { productVersion: product, triggers: count },
  });
}

function restorePointLog(probe: Probe): Detection | undefined {
  const h = probe.head;
  const event = u32le(h, 0) ?? 0;
  const type = u32le(h, 4) ?? 99;
  if (probe.size !== RP_LOG_SIZE || event < 0x64 || event > 0x67 || type > 0x20) return undefined;
  // The description: UTF-16LE text ended by NUL and padded with NULs, no control characters.
  let chars = 0;
  for (let at = 16; at < 16 + 512; at += 2) {
    const c = u16le(h, at) ?? 0;
    if (c === 0) break;
    if (c < 0x20) return undefined;
    chars++;
  }
  if (chars === 0 || !plausibleFiletime(u64le(h, RP_LOG_SIZE - 8))) return undefined;
  return plain('opaque', {
    id: 'windows-restore-point-log',
    name: 'Windows XP restore point log (rp.log)',
    confidence: 0.9,
    code: 'RESTORE_POINT_LOG',
    message: `Windows XP System Restore rp.log: RESTOREPOINTINFO (event type 0x${event.toString(16)}, restore point type ${type}, a ${chars}-character description) and a creation time; not encrypted.`,
    figures: { eventType: event, restorePointType: type },
  });
}

function changeLog(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (u32le(h, 4) !== 0 || u32le(h, 8) !== CHANGE_LOG_SIGNATURE || u32le(h, 12) !== 2) return undefined;
  // Records: size, type (0-9), the size repeated in the record's last four bytes; walked as far as the head goes.
  let at = 0;
  let records = 0;
  while (at + 8 <= h.length && at < probe.size) {
    const size = u32le(h, at) ?? 0;
    const type = u32le(h, at + 4) ?? 99;
    if (size < 12 || type > 9 || at + size > probe.size) return undefined;
    if (at + size > h.length) break;
    if (u32le(h, at + size - 4) !== size) return undefined;
    // Header and entry records carry the signature.
    if (type <= 1 && u32le(h, at + 8) !== CHANGE_LOG_SIGNATURE) return undefined;
    records++;
    at += size;
  }
  if (records === 0 || (probe.size <= h.length && at !== probe.size)) return undefined;
  return plain('opaque', {
    id: 'windows-restore-point-changelog',
    name: 'Windows XP restore point change log',
    confidence: 0.93,
    code: 'RESTORE_POINT_CHANGE_LOG',
    message: `Windows XP System Restore change.log: header signature 0xabcdef12, format version 2, ${records} record(s) whose sizes chain${probe.size <= h.length ? ' to the end of the file' : ''}; not encrypted.`,
    figures: { records },
  });
}

function customDestinations(probe: Probe): Detection | undefined {
  const h = probe.head;
  const categories = u32le(h, 4) ?? 0;
  const type = u32le(h, 12) ?? 99;
  if (u32le(h, 0) !== 2 || categories === 0 || categories > 1000 || u32le(h, 8) !== 0 || type > 2) return undefined;
  if (probe.size < 28 || u32le(probeBytes(probe, probe.size - 4, 4) ?? h, 0) !== JUMPLIST_FOOTER) return undefined;
  // The first category's first entry: a custom category names itself first; a known category has no entries.
  let at = 16;
  if (type === 0) at += 2 + 2 * (u16le(h, 16) ?? 0);
  if (type === 1) {
    if (categories !== 1 || probe.size !== 24) return undefined;
  } else {
    const entries = u32le(h, at) ?? 0;
    at += 4;
    if (entries === 0 || entries > 10_000) return undefined;
    const entry = h.subarray(at, at + 16 + LNK_HEADER.length);
    if (entry.length < 16 + LNK_HEADER.length) return undefined;
    if (!Buffer.from(entry.subarray(0, 16)).equals(LNK_CLSID) || !Buffer.from(entry.subarray(16)).equals(LNK_HEADER))
      return undefined;
  }
  return plain('opaque', {
    id: 'jumplist-custom',
    name: 'Windows custom destinations Jump list',
    confidence: 0.93,
    code: 'JUMPLIST_CUSTOM_DESTINATIONS',
    message: `customDestinations-ms Jump list: format version 2, ${categories} categor${categories === 1 ? 'y' : 'ies'} of shell-link entries (LNK header and class identifier), 0xbabffbab footer; not encrypted.`,
    figures: { categories },
  });
}

export const windowsLegacyRecordsDetector = defineDetector({
  meta: {
    id: 'windows-legacy-records',
    version: '1.0.0',
    title: 'Windows Task Scheduler jobs, XP restore point logs and custom destinations Jump lists',
    formats: [
      {
        id: 'windows-task-job',
        name: 'Windows Task Scheduler job file',
        status: 'opaque',
        how: 'structure',
        extensions: ['job'],
      },
      {
        id: 'windows-restore-point-log',
        name: 'Windows XP restore point log (rp.log)',
        status: 'opaque',
        how: 'structure',
        extensions: ['log'],
      },
      {
        id: 'windows-restore-point-changelog',
        name: 'Windows XP restore point change log',
        status: 'opaque',
        how: 'structure',
        extensions: ['log', '1', '2', '3'],
      },
      {
        id: 'jumplist-custom',
        name: 'Windows custom destinations Jump list',
        status: 'opaque',
        how: 'structure',
        extensions: ['customdestinations-ms'],
      },
    ],
  },
  minSize: 24,
  priority: 30,
  signatures: [
    // .job: product version, then file version 1.
    ...[...JOB_PRODUCTS.keys()].map((v) => ({
      offset: 0,
      hex: Buffer.from([v & 0xff, v >> 8, 1, 0]).toString('hex'),
    })),
    // rp.log: the event type (BEGIN/END_[NESTED_]SYSTEM_CHANGE).
    { offset: 0, hex: '64000000' },
    { offset: 0, hex: '65000000' },
    { offset: 0, hex: '66000000' },
    { offset: 0, hex: '67000000' },
    // change.log: the header record's signature.
    { offset: 8, hex: '12efcdab02000000' },
    // customDestinations-ms: format version 2.
    { offset: 0, hex: '02000000' },
  ],
  detect(probe): Detection | undefined {
    return jobFile(probe) ?? restorePointLog(probe) ?? changeLog(probe) ?? customDestinations(probe);
  },
});
