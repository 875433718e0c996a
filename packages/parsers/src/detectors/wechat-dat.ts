/**
 * WeChat 4's picture and video files (`msg/attach/<hash>/<yyyy-mm>/Img/*.dat` on Windows and macOS).
 * WeChat 3 XORed them whole with one byte (xor-obfuscated finds those); WeChat 4 writes a 15-byte header,
 * "\x07\x08V1\x08\x07" or "\x07\x08V2\x08\x07", a little-endian 32-bit count of bytes encrypted with
 * AES-128-ECB at the start (padded to whole blocks), another of bytes XORed with one byte at the end,
 * and one spare byte; between the two the file is left as it was. Version 1 uses a fixed AES key
 * published in every decoder (the ASCII text "cfcd208495d565ef", MD5 of "0" cut to 16 characters): its
 * first block is decrypted here and must give a known picture or video start, and the file is
 * obfuscated, not encrypted (opaque). Version 2 uses a per-account image key that WeChat keeps in memory
 * (decoders read it from the running process): the start of the picture needs a key not in the file,
 * so it is encrypted (partial: the middle is plain). Layout: the public decoders of WeChat 4 pictures
 * (e.g. github.com/ai-hermes/chatlog `pkg/util/dat2img`), read, not copied.
 */
import crypto from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, u32le } from './util.js';

const V1 = {
  id: 'wechat-dat-v1',
  name: 'WeChat 4 picture or video, V1 (AES with the published key, then XOR)',
} as const;
const V2 = {
  id: 'wechat-dat-v2',
  name: 'WeChat 4 picture or video, V2 (AES with the account image key, then XOR)',
} as const;
const HEADER = 15;
const V1_KEY = Buffer.from('cfcd208495d565ef', 'latin1');

/** Starts of the media WeChat keeps this way (its own "wxgf" wrapper for HEVC pictures included). */
const STARTS: [string, number[]][] = [
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['TIFF', [0x49, 0x49, 0x2a, 0x00]],
  ['wxgf (WeChat HEVC picture)', [0x77, 0x78, 0x67, 0x66]],
  ['BMP', [0x42, 0x4d]],
];

function firstBlockV1(block: Uint8Array): string | undefined {
  const d = crypto.createDecipheriv('aes-128-ecb', V1_KEY, null).setAutoPadding(false);
  const plainBlock = Buffer.concat([d.update(block), d.final()]);
  const ftyp = plainBlock.toString('latin1', 4, 8) === 'ftyp';
  if (ftyp) return 'MP4/MOV (ftyp)';
  return STARTS.find(([, m]) => m.every((v, i) => plainBlock[i] === v))?.[0];
}

export const wechatDatDetector = defineDetector({
  meta: {
    id: 'wechat-dat',
    version: '1.0.0',
    title: "WeChat 4's picture and video .dat files (V1: published AES key; V2: the account's image key)",
    formats: [
      { ...V1, status: 'opaque', how: 'header-field', extensions: ['dat'] },
      { ...V2, status: 'encrypted', how: 'header-field', extensions: ['dat'] },
    ],
  },
  signatures: [
    { offset: 0, hex: '070856310807' },
    { offset: 0, hex: '070856320807' },
  ],
  minSize: HEADER + 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = h[3] === 0x31 ? 1 : 2;
    const aes = u32le(h, 6)!;
    const xor = u32le(h, 10)!;
    // PKCS#7 pads to whole blocks, a whole block more when the count is already whole.
    const padded = aes + 16 - (aes % 16);
    if (HEADER + padded + xor > probe.size) return undefined;
    const fields =
      `header "\\x07\\x08V${version}\\x08\\x07", ${aes} bytes AES-128-ECB at the start (${padded} with padding), ` +
      `${xor} bytes XORed with one byte at the end, ${probe.size - HEADER - padded - xor} plain bytes between, fitting the file`;
    if (version === 1) {
      const start = firstBlockV1(h.subarray(HEADER, HEADER + 16));
      if (!start) return undefined;
      return plain('opaque', {
        ...V1,
        confidence: 0.95,
        code: 'WECHAT_DAT_V1',
        message:
          `WeChat 4 media file: ${fields}. Its first block decrypts with the fixed V1 key every decoder publishes to a ${start} start: ` +
          'obfuscated, not encrypted (the XOR byte is found from the end of the picture); no viewer opens it as it stands.',
        figures: { aesBytes: aes, xorBytes: xor, media: start },
      });
    }
    return locked({
      ...V2,
      confidence: 0.9,
      code: 'WECHAT_DAT_V2',
      message:
        `WeChat 4 media file: ${fields}. V2 encrypts the start of the picture (its header and tables) with the ` +
        "account's image key, which WeChat keeps in memory, not in a file; the middle is plain and the XOR byte is found from the file's end.",
      figures: { aesBytes: aes, xorBytes: xor },
      scheme: 'wechat-dat-v2-aes-128-ecb',
      scope: 'partial',
      keyHint: {
        description:
          "WeChat 4's image key (16 bytes) for the account, read from the running WeChat process's memory by the public decoders",
        kind: 'unknown',
        present: 'unknown',
      },
    });
  },
});
