/**
 * Sound files whose headers no other detector checks and libmagic either
 * lacks or rates a chance match: SoX's native `.sox`, Ensoniq PARIS `.paf`,
 * Psion `.wve`, SoundTool `.sndt` (all written by SoX and libsndfile) and
 * ProTracker-style `.mod` modules (the commonest tracker format; libopenmpt,
 * libmodplug and tracker archives are full of them). Without this they fall to
 * the statistics and are called opaque. Each needs its magic and header fields
 * in their defined ranges; a MOD, whose tag sits at byte 1080, also needs 31
 * sample headers with a fine-tune of at most 15 and a volume of at most 64, an
 * order table of pattern numbers below 128, and room for the patterns it names.
 * All are readable audio: analysable.
 * References: SoX's sox.c (".SoX" header: size, samples, rate as a double,
 * channels, comment length); libsndfile's paf.c (PARIS header: version 0,
 * endianness, rate, format 0-2, channels) and wve.c ("ALawSoundFile**");
 * SoX's sndrtool.c ("SOUND" 1A, samples, rate at byte 20); the ProTracker
 * module layout as libopenmpt's Load_mod.cpp and the MOD format notes describe
 * it (20-byte title, 31 × 30-byte sample headers, song length, 128 orders, tag).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u16be, u16le, u32be, u32le } from './util.js';

type Found = {
  id: string;
  name: string;
  mime: string;
  code: string;
  message: string;
  figures: Record<string, number | string>;
};

const FORMATS = [
  { id: 'sox-native', name: 'SoX native audio', mime: 'audio/x-sox', extensions: ['sox'] },
  { id: 'paris-audio', name: 'Ensoniq PARIS audio (PAF)', mime: 'audio/x-paris', extensions: ['paf', 'fap'] },
  { id: 'psion-wve', name: 'Psion Series 3 A-law sound (WVE)', mime: 'audio/x-psion-wve', extensions: ['wve'] },
  { id: 'soundtool', name: 'SoundTool audio (SNDT)', mime: 'audio/x-soundtool', extensions: ['sndt', 'snd'] },
  { id: 'mod', name: 'ProTracker module (MOD)', mime: 'audio/x-mod', extensions: ['mod', 'nst', 'wow'] },
] as const;

function found(id: (typeof FORMATS)[number]['id'], code: string, message: string, figures: Found['figures']): Found {
  const f = FORMATS.find((x) => x.id === id)!;
  return { id, name: f.name, mime: f.mime, code, message, figures };
}

function sox(h: Uint8Array): Found | undefined {
  const magic = ascii(h, 0, 4);
  const le = magic === '.SoX';
  if (!le && magic !== 'XoS.') return undefined;
  const u32 = le ? u32le : u32be;
  const headerSize = u32(h, 4)!;
  const rate = new DataView(h.buffer, h.byteOffset + 16, 8).getFloat64(0, le);
  const channels = u32(h, 24)!;
  const comments = u32(h, 28)!;
  // The fixed header after the magic is 28 bytes; the comment follows, padded.
  if (
    headerSize < 28 + comments ||
    headerSize > 28 + comments + 8 ||
    !(rate >= 1 && rate <= 1e7) ||
    channels < 1 ||
    channels > 4096
  )
    return undefined;
  return found(
    'sox-native',
    'SOX_HEADER',
    `SoX native header (${le ? 'little' : 'big'}-endian): ${rate} Hz, ${channels} channel(s), ${comments}-byte comment: readable audio.`,
    { rate, channels },
  );
}

function paf(h: Uint8Array): Found | undefined {
  const magic = ascii(h, 0, 4);
  const be = magic === ' paf';
  if (!be && magic !== 'fap ') return undefined;
  const u32 = be ? u32be : u32le;
  const [version, endian, rate, format, channels] = [4, 8, 12, 16, 20].map((o) => u32(h, o)!);
  if (
    version !== 0 ||
    endian !== (be ? 0 : 1) ||
    format! > 2 ||
    channels! < 1 ||
    channels! > 256 ||
    rate! < 1 ||
    rate! > 1e6
  )
    return undefined;
  return found(
    'paris-audio',
    'PAF_HEADER',
    `Ensoniq PARIS header ("${magic}", version 0): ${rate} Hz, ${channels} channel(s), ${[16, 24, 8][format!]}-bit samples: readable audio.`,
    { rate: rate!, channels: channels! },
  );
}

function wve(h: Uint8Array): Found | undefined {
  if (ascii(h, 0, 16) !== 'ALawSoundFile**\0') return undefined;
  return found(
    'psion-wve',
    'PSION_WVE_HEADER',
    'Psion "ALawSoundFile**" header: 8 kHz A-law sound from a Psion organiser, readable audio.',
    {},
  );
}

function sndt(h: Uint8Array, size: number): Found | undefined {
  if (ascii(h, 0, 6) !== 'SOUND\x1a') return undefined;
  const samples = u32le(h, 8)!;
  const rate = u16le(h, 20)!;
  if (rate < 1000 || rate > 96000 || samples > size) return undefined;
  return found(
    'soundtool',
    'SOUNDTOOL_HEADER',
    `SoundTool header ("SOUND" 1A): ${rate} Hz, ${samples} samples: readable audio.`,
    { rate, samples },
  );
}

/** The first bytes of the SoX, PAF, Psion and SoundTool magics. */
const FIRST_BYTES = new Set([0x2e, 0x58, 0x20, 0x66, 0x41, 0x53]);

/** Four printable ASCII bytes at 1080, where a MOD keeps its tag. */
function printableTag(h: Uint8Array): boolean {
  if (h.length < 1084) return false;
  for (let i = 1080; i < 1084; i++) if (h[i]! < 0x21 || h[i]! > 0x7e) return false;
  return true;
}

/** Channels a MOD tag at byte 1080 stands for (0: not a tag). */
function modChannels(tag: string): number {
  if (['M.K.', 'M!K!', 'M&K!', 'FLT4', '4CHN', 'N.T.'].includes(tag)) return 4;
  if (['FLT8', 'OKTA', 'OCTA', 'CD81'].includes(tag)) return 8;
  let m = /^([1-9])CHN$/.exec(tag) ?? /^TDZ([1-9])$/.exec(tag);
  if (m) return Number(m[1]);
  m = /^([1-9][0-9])C[HN]$/.exec(tag);
  return m ? Number(m[1]) : 0;
}

function mod(h: Uint8Array, size: number): Found | undefined {
  if (h.length < 1084) return undefined;
  const tag = ascii(h, 1080, 1084);
  const channels = modChannels(tag);
  if (!channels) return undefined;
  let sampleBytes = 0;
  for (let i = 0; i < 31; i++) {
    const at = 20 + i * 30;
    if (h[at + 24]! > 15 || h[at + 25]! > 64) return undefined;
    sampleBytes += u16be(h, at + 22)! * 2;
  }
  const songLength = h[950]!;
  if (songLength < 1 || songLength > 128) return undefined;
  let patterns = 0;
  for (let i = 0; i < 128; i++) {
    const p = h[952 + i]!;
    if (p > 127) return undefined;
    patterns = Math.max(patterns, p + 1);
  }
  // 64 rows of 4-byte cells per channel in each pattern; a file shorter than that is not this.
  const patternEnd = 1084 + patterns * 64 * 4 * channels;
  if (patternEnd > size) return undefined;
  const title = ascii(h, 0, 20).replace(/\0.*$/s, '').trim();
  return found(
    'mod',
    'MOD_HEADER',
    `Tracker module tag "${tag}" at byte 1080 (${channels} channels) with 31 valid sample headers, ${songLength} positions and ${patterns} patterns within the file${title ? `, title "${title}"` : ''}: a ProTracker-style module, readable.`,
    { channels, patterns, songLength, sampleBytes },
  );
}

export const soundHeadersDetector = defineDetector({
  meta: {
    id: 'sound-headers',
    version: '1.0.0',
    title: 'Sound files by SoX and libsndfile (SoX, PAF, WVE, SoundTool) and ProTracker modules',
    formats: FORMATS.map((f) => ({
      ...f,
      extensions: [...f.extensions],
      status: 'analysable' as const,
      how: 'header-field' as const,
    })),
  },
  // No signature list: a MOD's only magic is a tag of varying form at byte 1080, which `detect` reads;
  // every check is a few byte compares on the head.
  minSize: 32,
  priority: 60,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Most files leave here on a byte test, before any header is decoded as text: the first byte of one of the
    // magics ('.' 'X' ' ' 'f' 'A' 'S'), or a MOD tag's printable bytes at 1080.
    const first = FIRST_BYTES.has(h[0] ?? -1);
    if (!first && !printableTag(h)) return undefined;
    const f = (first ? (sox(h) ?? paf(h) ?? wve(h) ?? sndt(h, probe.size)) : undefined) ?? mod(h, probe.size);
    if (!f) return undefined;
    return plain('analysable', { ...f, confidence: 0.9 });
  },
});
