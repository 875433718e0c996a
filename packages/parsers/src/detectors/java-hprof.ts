/**
 * Java heap dumps in HPROF format: "JAVA PROFILE 1.0.1"/"1.0.2" (HotSpot's
 * jmap, jcmd GC.heap_dump) and "1.0.3", the version Android's ART writes
 * (`am dumpheap`, Debug.dumpHprofData, bugreports' heap dumps). libmagic knows
 * 1.0.2 only; 1.0.3 fell to the statistics ("binary-unknown") or to a chance
 * libmagic match. A heap dump holds the app's objects and strings in clear.
 *
 * Confirmed beyond the magic: the identifier size (4 or 8) and the records
 * after the header walked one by one (u8 tag of a defined record type, u32
 * time, u32 length inside the file). Reference: the HPROF format in
 * OpenJDK's hprof_b_spec.h / heapDumper.cpp and ART's runtime/hprof/hprof.cc.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u32be, u64be } from './util.js';

const MAGIC = 'JAVA PROFILE 1.0.';
/** Record tags HPROF defines: 0x01–0x0E, heap dump segment 0x1C and its end 0x2C. */
const isRecordTag = (tag: number): boolean => (tag >= 0x01 && tag <= 0x0e) || tag === 0x1c || tag === 0x2c;
/** Records walked at most: enough to confirm, bounded for hostile input. */
const MAX_RECORDS = 256;

export const javaHprofDetector = defineDetector({
  meta: {
    id: 'java-hprof',
    version: '1.0.0',
    title: 'Java and Android heap dumps (HPROF 1.0.1–1.0.3)',
    formats: [
      {
        id: 'java-hprof-dump',
        name: 'Java HPROF dump',
        status: 'analysable',
        how: 'header-field',
        extensions: ['hprof'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: MAGIC }],
  minSize: 31,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (!startsWith(h, MAGIC)) return undefined;
    const minor = h[17];
    if (minor === undefined || minor < 0x31 || minor > 0x33 || h[18] !== 0) return undefined;
    const idSize = u32be(h, 19);
    const millis = u64be(h, 23);
    if ((idSize !== 4 && idSize !== 8) || millis === undefined) return undefined;
    let at = 31;
    let records = 0;
    while (records < MAX_RECORDS && at + 9 <= h.length) {
      const tag = h[at] ?? 0;
      const length = u32be(h, at + 5) ?? 0;
      if (!isRecordTag(tag) || at + 9 + length > probe.size) return undefined;
      at += 9 + length;
      records++;
    }
    if (records === 0 && at !== probe.size) return undefined;
    const version = ascii(h, 13, 18);
    const when = new Date(millis);
    const date = Number.isNaN(when.getTime()) ? '' : `, dumped ${when.toISOString().slice(0, 10)}`;
    return plain('analysable', {
      id: 'java-hprof-dump',
      name: 'Java HPROF dump',
      confidence: 0.93,
      code: 'HPROF_RECORDS',
      message:
        `"JAVA PROFILE ${version}" header (${version === '1.0.3' ? "Android ART's" : 'HotSpot'} heap dump, ` +
        `${idSize}-byte identifiers${date}): ${records} record(s) walked, each of a defined type and inside ` +
        'the file: objects and strings in clear.',
      figures: { idSize, recordsWalked: records },
    });
  },
});
