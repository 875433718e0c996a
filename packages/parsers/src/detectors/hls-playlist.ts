/**
 * HLS playlists (`.m3u8`, RFC 8216) and plain M3U lists: text that starts with
 * `#EXTM3U`. The playlist is readable; what matters for triage is its
 * `#EXT-X-KEY` (and `#EXT-X-SESSION-KEY`) tags: `METHOD=AES-128` means every
 * media segment it lists is AES-128-CBC ciphertext (PKCS#7 padded, the whole
 * segment), `SAMPLE-AES` / `SAMPLE-AES-CTR` that the samples inside clear
 * containers are; `URI` names the key (a 16-byte file, or a key server's
 * answer) and `KEYFORMAT` the DRM system when it is not the plain key
 * ("identity"): FairPlay's `com.apple.streamingkeydelivery`, Widevine's or
 * PlayReady's system id. These land in the playlist's facts. The segments
 * themselves are judged by the `hls-segments` parser.
 * Reference: RFC 8216 (4.3.2.4 EXT-X-KEY, 4.3.4.5 EXT-X-SESSION-KEY,
 * 5.2 IV for AES-128), the HLS Sample Encryption specification.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, textInfo } from './util.js';

export const HLS_PLAYLIST = { id: 'm3u8', name: 'M3U / HLS playlist', mime: 'application/vnd.apple.mpegurl' } as const;

/** Key URIs and formats kept in the facts (a live playlist repeats its key tag per key rotation). */
const MAX_KEYS = 8;
/** Longest URI kept (signed key URLs carry long tokens). */
const MAX_URI = 300;

export interface HlsKey {
  method: string;
  uri?: string;
  keyFormat?: string;
  iv?: string;
  session: boolean;
}

/** The attribute list of an EXT-X tag (`NAME=VALUE,NAME="quoted, with commas"`). */
export function hlsAttributes(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;
  for (const m of list.matchAll(re)) {
    const v = m[2]!;
    out[m[1]!] = v.startsWith('"') ? v.slice(1, -1) : v.trim();
  }
  return out;
}

export interface HlsPlaylist {
  /** Any EXT-X tag: an HLS playlist rather than a plain M3U list. */
  hls: boolean;
  /** Variant streams (a master playlist). */
  variants: number;
  /** Media segments (EXTINF entries). */
  segments: number;
  keys: HlsKey[];
}

export function readHlsPlaylist(text: string): HlsPlaylist | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!lines[0]?.startsWith('#EXTM3U')) return undefined;
  const p: HlsPlaylist = { hls: false, variants: 0, segments: 0, keys: [] };
  const seen = new Set<string>();
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-')) p.hls = true;
    if (line.startsWith('#EXTINF:')) p.segments++;
    else if (line.startsWith('#EXT-X-STREAM-INF:')) p.variants++;
    else if (line.startsWith('#EXT-X-KEY:') || line.startsWith('#EXT-X-SESSION-KEY:')) {
      const session = line.startsWith('#EXT-X-SESSION-KEY:');
      const a = hlsAttributes(line.slice(line.indexOf(':') + 1));
      const method = a['METHOD'];
      if (!method) continue;
      const key: HlsKey = { method, session };
      if (a['URI'] !== undefined) key.uri = a['URI'].slice(0, MAX_URI);
      if (a['KEYFORMAT'] !== undefined) key.keyFormat = a['KEYFORMAT'];
      if (a['IV'] !== undefined) key.iv = a['IV'];
      const id = `${method}|${key.uri ?? ''}|${key.keyFormat ?? ''}`;
      if (seen.has(id) || p.keys.length >= MAX_KEYS) continue;
      seen.add(id);
      p.keys.push(key);
    }
  }
  return p;
}

/** DRM systems by KEYFORMAT (lower case). */
const KEY_FORMATS: Readonly<Record<string, string>> = {
  'com.apple.streamingkeydelivery': 'FairPlay Streaming',
  'urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed': 'Widevine',
  'com.microsoft.playready': 'PlayReady',
  'urn:uuid:9a04f079-9840-4286-ab92-e65be0885f95': 'PlayReady',
};

/** A DRM system's name for a KEYFORMAT, when it is one. */
function keyFormatName(f: string | undefined): string | undefined {
  if (!f || f === 'identity') return undefined;
  return KEY_FORMATS[f.toLowerCase()] ?? f;
}

export const hlsPlaylistDetector = defineDetector({
  meta: {
    id: 'hls-playlist',
    version: '1.0.0',
    title: 'M3U and HLS playlists (with their segment encryption)',
    formats: [
      {
        id: HLS_PLAYLIST.id,
        name: HLS_PLAYLIST.name,
        status: 'analysable',
        how: 'signature',
        extensions: ['m3u8', 'm3u'],
        mime: HLS_PLAYLIST.mime,
      },
    ],
    reasons: {
      HLS_PLAYLIST: 'An HLS playlist ({segments} segments, {variants} variants).',
      HLS_PLAYLIST_ENCRYPTED_MEDIA: 'An HLS playlist whose EXT-X-KEY says its media is encrypted ({keyMethods}).',
      M3U_PLAYLIST: 'An M3U playlist.',
    },
  },
  signatures: [
    { offset: 0, ascii: '#EXTM3U' },
    { offset: 0, hex: 'efbbbf234558544d3355' },
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    // A playlist is text: "#EXTM3U" before binary bytes is a chance prefix or a damaged file.
    let text = textInfo(probe.head)?.text;
    if (text === undefined) return undefined;
    if (!probe.complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
    const p = readHlsPlaylist(text);
    if (!p) return undefined;
    const media = p.keys.filter((k) => k.method.toUpperCase() !== 'NONE');
    const keyMethods = [...new Set(media.map((k) => k.method))];
    const details: Record<string, unknown> = { hls: p.hls, segments: p.segments, variants: p.variants };
    if (p.keys.length > 0)
      details['keys'] = p.keys.map((k) => ({
        ...k,
        ...(keyFormatName(k.keyFormat) ? { drm: keyFormatName(k.keyFormat) } : {}),
      }));
    if (media.length > 0) details['encryptedMedia'] = true;
    const figures = {
      segments: p.segments,
      variants: p.variants,
      ...(keyMethods.length > 0 ? { keyMethods: keyMethods.join(', ') } : {}),
    };
    if (!p.hls)
      return plain('analysable', {
        ...HLS_PLAYLIST,
        confidence: 0.9,
        code: 'M3U_PLAYLIST',
        message: `An M3U playlist (#EXTM3U, ${p.segments} entries with EXTINF and no HLS tags): a list of media files, readable.`,
        figures,
        details,
      });
    const kind =
      p.variants > 0 ? `a master playlist of ${p.variants} variant stream(s)` : `${p.segments} media segment(s)`;
    if (media.length === 0)
      return plain('analysable', {
        ...HLS_PLAYLIST,
        confidence: 0.95,
        code: 'HLS_PLAYLIST',
        message: `An HLS playlist (#EXTM3U with EXT-X tags: ${kind}), readable; no EXT-X-KEY encrypts its media.`,
        figures,
        details,
      });
    const keys = media
      .map((k) => {
        const drm = keyFormatName(k.keyFormat);
        return `METHOD=${k.method}${k.uri !== undefined ? ` with the key at URI "${k.uri}"` : ''}${drm ? ` (${drm})` : ''}`;
      })
      .join('; ');
    const whole = media.some((k) => k.method.toUpperCase() === 'AES-128');
    return plain('analysable', {
      ...HLS_PLAYLIST,
      confidence: 0.95,
      code: 'HLS_PLAYLIST_ENCRYPTED_MEDIA',
      message: `An HLS playlist (${kind}), readable, whose ${media.some((k) => k.session) && !media.some((k) => !k.session) ? 'EXT-X-SESSION-KEY' : 'EXT-X-KEY'} says its media is encrypted: ${keys}. ${whole ? 'AES-128 encrypts each segment whole (AES-128-CBC, PKCS#7 padding): the segments are ciphertext until that 16-byte key is fetched.' : 'SAMPLE-AES encrypts the audio and video samples inside clear containers.'}`,
      figures,
      details,
    });
  },
});
