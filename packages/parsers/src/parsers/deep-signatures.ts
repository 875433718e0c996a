/**
 * Looks past the probe for signatures that sit deep in a file no detector
 * recognised: the ISO 9660 / UDF volume descriptors at sector 16 (offset
 * 32768), an archive appended after a zero-filled or executable stub
 * (self-extracting RAR, 7z or ZIP), then libmagic's rules over the first
 * 96 KiB, where the superblocks it knows past the probe lie (btrfs and
 * ReiserFS at 64 KiB, JFS at 32 KiB). Runs only on items the statistical
 * fallback called unrecognised binary or zero-filled, and reads at most 1 MiB.
 * References: ECMA-119 §8 (CD001 at sector 16); ECMA-167 (BEA01/NSR02/NSR03);
 * RARLAB technote (SFX: the signature is searched for after the stub).
 */
import { defineParser, type ParseResult, type Probe } from '@evtriage/core/contract';
import { judgeMagic } from '../detectors/libmagic.js';

const SCAN_BYTES = 1024 * 1024;
/**
 * What libmagic sees past the probe: the superblocks its rules know end below 68 KiB. From 128 KiB
 * on, its text checks cost 200 ms and more on buffers of spaces or line ends (3 ms at 96 KiB).
 */
const MAGIC_BYTES = 96 * 1024;
/** A libmagic answer below this confidence is a chance match (libmagic.ts), not a recognition. */
const BELIEVED = 0.5;
const ARCHIVES: Array<[string, string, Buffer]> = [
  ['rar', 'RAR archive', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['7z', '7-Zip archive', Buffer.from('377abcaf271c', 'hex')],
  ['zip', 'ZIP archive', Buffer.from('PK\x03\x04', 'latin1')],
];

export const deepSignaturesParser = defineParser({
  meta: {
    id: 'deep-signatures',
    version: '1.2.0',
    title: "Volume descriptors, appended archives and libmagic's rules beyond the probe",
    // zero- or byte-filled: a probe of zeros (or 0xFF) is also the system area of an ISO 9660 image, or the stub before an appended archive.
    formats: ['binary-unknown', 'compressed-unknown', 'zero-filled', 'byte-filled'],
  },
  priority: 90,
  async parse(ctx): Promise<ParseResult | undefined> {
    const size = ctx.item.size;
    if (size >= 32768 + 2048) {
      const vd = (await ctx.read(32769, 5)).toString('latin1');
      if (vd === 'CD001' || vd === 'BEA01') {
        const udf = vd === 'BEA01';
        return {
          details: { volumeDescriptor: vd },
          reclassify: {
            status: 'analysable',
            confidence: 0.95,
            format: udf ? { id: 'udf', name: 'UDF image' } : { id: 'iso9660', name: 'ISO 9660 image' },
            reasons: [
              {
                code: udf ? 'UDF_DESCRIPTOR' : 'ISO9660_DESCRIPTOR',
                message: `Volume descriptor "${vd}" at sector 16 (offset 32769), past the probe: ${udf ? 'a UDF' : 'an ISO 9660'} image.`,
              },
            ],
          },
        };
      }
    }
    const head = ctx.probe.head;
    const stub = head.length > 0 && (head.every((b) => b === 0) || (head[0] === 0x4d && head[1] === 0x5a));
    if (!stub) {
      // A file the probe held whole was shown to libmagic whole already.
      if (size <= head.length) return undefined;
      return magicPastProbe(ctx.probe, size, await ctx.read(0, Math.min(size, MAGIC_BYTES)));
    }
    const window = await ctx.read(0, Math.min(size, SCAN_BYTES));
    for (const [id, name, sig] of ARCHIVES) {
      const at = window.indexOf(sig);
      if (at <= 0) continue;
      return {
        details: { embeddedAt: at, embedded: id },
        reclassify: {
          status: 'analysable',
          confidence: 0.8,
          format: { id, name },
          reasons: [
            {
              code: 'APPENDED_ARCHIVE',
              message: `${name} signature at offset ${at}, after ${head[0] === 0x4d ? 'an executable' : head[0] === 0 ? 'a zero-filled' : 'a byte-filled'} stub: a self-extracting or padded archive.`,
              figures: { offset: at },
            },
          ],
        },
      };
    }
    return magicPastProbe(ctx.probe, size, window.subarray(0, MAGIC_BYTES));
  },
});

/** libmagic's answer on more bytes than the probe held, when it is a recognition. */
async function magicPastProbe(probe: Probe, size: number, bytes: Buffer): Promise<ParseResult | undefined> {
  if (bytes.length <= probe.head.length) return undefined; // libmagic saw these bytes already
  // Recognitions only: a chance match is dropped below anyway, and asking its MIME type would make a second handle.
  const found = await judgeMagic({ ...probe, head: bytes, complete: bytes.length >= size }, { recognitionsOnly: true });
  if (!found || found.confidence < BELIEVED) return undefined;
  return {
    details: { libmagicBytes: bytes.length },
    reclassify: {
      status: found.status,
      confidence: found.confidence,
      format: found.format,
      reasons: found.reasons.map((r) => ({
        ...r,
        message: `On the first ${bytes.length} bytes, past the probe's ${probe.head.length}: ${r.message}`,
      })),
    },
    ...(found.encryption ? { encryption: found.encryption } : {}),
  };
}
