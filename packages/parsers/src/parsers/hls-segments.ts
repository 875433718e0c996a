/**
 * HLS media segments encrypted with METHOD=AES-128. Such a segment is the
 * whole media file (an MPEG transport stream, packed audio, fMP4) encrypted
 * with AES-128-CBC and PKCS#7 padding: uniformly random bytes, so the
 * statistics call it unknown ciphertext. What names it is its context and its
 * size: an HLS playlist (`.m3u8`) in the same folder, a media segment's name,
 * and a length that is a multiple of the 16-byte block — for a transport
 * stream, exactly the next multiple of 16 above a whole number of 188-byte
 * packets (PKCS#7 always adds 1 to 16 bytes), which one size in 188 meets by
 * chance. A clear segment is never random-looking (transport stream packets,
 * ADTS frames and fMP4 boxes are recognised by their own detectors), and
 * SAMPLE-AES keeps the containers clear, so random bytes beside a playlist
 * are the whole-segment method. The parser cannot read the playlist (only the
 * item and its `<name><suffix>` siblings are readable): the playlist's own
 * item carries the key method and URI in its facts (`hls-playlist`). A
 * random `.ts` of such a size with no playlist beside it keeps the statistics'
 * verdict; its details record the size fact.
 * Reference: RFC 8216 section 4.3.2.4 (EXT-X-KEY, AES-128) and 5.2.
 */
import { defineParser, type KeyHint, type ParseResult } from '@evtriage/core/contract';

/** Segment names a player or downloader gives (RFC 8216 allows any URI; these are the media types HLS carries). */
const SEGMENT_EXTENSIONS = new Set([
  'ts',
  'aac',
  'ac3',
  'ec3',
  'mp3',
  'm4s',
  'mp4',
  'm4a',
  'm4v',
  'cmfv',
  'cmfa',
  'vtt',
  'webvtt',
]);
/** A transport stream's packet. */
const TS_PACKET = 188;
const AES_BLOCK = 16;

export const HLS_SEGMENT = { id: 'hls-segment-aes-128', name: 'HLS media segment, AES-128 encrypted' } as const;

/** A folder path as a literal glob prefix. */
function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@,]/g, '\\$&');
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Whether `size` is what AES-128-CBC with PKCS#7 padding makes of whole transport stream packets. */
export function paddedTransportStreamSize(size: number): boolean {
  if (size < 2 * AES_BLOCK || size % AES_BLOCK !== 0) return false;
  const packets = Math.floor((size - 1) / TS_PACKET);
  return packets > 0 && size - packets * TS_PACKET <= AES_BLOCK;
}

export const hlsSegmentsParser = defineParser({
  meta: {
    id: 'hls-segments',
    version: '1.0.0',
    title: 'HLS AES-128 media segments beside their playlist',
    formats: ['unknown-encrypted', 'truecrypt-veracrypt'],
    indexPatterns: ['**/*.m3u8', '**/*.key'],
  },
  requires: { minSize: 2 * AES_BLOCK },
  priority: 40,
  parse(ctx): ParseResult | undefined {
    const size = ctx.probe.size;
    if (size % AES_BLOCK !== 0) return undefined;
    const ext = ctx.probe.extension;
    if (!SEGMENT_EXTENSIONS.has(ext) && !/^\d+$/.test(ctx.probe.name)) return undefined;
    const ts = ext === 'ts';
    if (ts && !paddedTransportStreamSize(size)) return undefined;
    const packets = Math.floor((size - 1) / TS_PACKET);
    const dir = dirOf(ctx.item.path);
    const playlists = ctx.findInSource('**/*.m3u8').filter((p) => dirOf(p) === dir);
    // Without a playlist the size alone (one size in 188) names nothing: it is recorded, the verdict stays.
    if (playlists.length === 0)
      return ts ? { details: { playlistBeside: false, transportStreamPackets: packets } } : undefined;
    const playlist = playlists[0]!.split('/').pop()!;
    // The engine resolves the glob once the index is complete (present: yes with where, or no).
    const keyHint: KeyHint = {
      description: `The 16-byte AES-128 key named by the URI of the EXT-X-KEY tag in the playlist beside it (${playlist}; its item's facts quote it), with the IV from the same tag or the segment's sequence number. A player fetches the key from the key server, often behind the app's login or licence; a saved copy is a 16-byte file, looked for beside the segment.`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [dir === '' ? '*.key' : `${escapeGlob(dir)}/*.key`],
    };
    return {
      encryption: { scheme: 'hls-aes-128', scope: 'full', keyHint },
      reclassify: {
        status: 'encrypted',
        confidence: ts ? 0.9 : 0.8,
        format: { ...HLS_SEGMENT },
        reasons: [
          {
            code: 'HLS_SEGMENT_ENCRYPTED',
            message: `Uniformly random bytes named as a media segment (${ctx.probe.name}) beside an HLS playlist (${playlist}), ${ts ? `${size} bytes: ${packets} transport stream packets of 188 bytes padded to the 16-byte AES block (PKCS#7)` : `${size} bytes, a whole number of 16-byte AES blocks`}: a segment encrypted whole with the playlist's METHOD=AES-128 (AES-128-CBC); SAMPLE-AES would have left its container clear.`,
            figures: { size, playlists: playlists.length, ...(ts ? { packets } : {}) },
          },
        ],
      },
      details: { playlistBeside: true, playlist: playlists[0], ...(ts ? { transportStreamPackets: packets } : {}) },
    };
  },
});
