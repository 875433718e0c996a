/**
 * Fernet tokens (the Fernet specification, github.com/fernet/spec; Python's `cryptography.fernet`, used by
 * Airflow, Superset and many apps for secrets at rest): URL-safe base64 of a version byte 0x80, a 64-bit
 * timestamp, a 16-byte IV, AES-128-CBC ciphertext (whole blocks) and an HMAC-SHA256 tag. Every token starts
 * "gAAAAA" (0x80 and the timestamp's zero high bytes). Two shapes:
 * - a file that is one token (or one a line): encrypted whole;
 * - text (JSON, YAML, INI, .env) whose values are tokens: encrypted in part, like SOPS files.
 * Each token is decoded and its layout checked (version, a timestamp from 2013 to 2100, whole cipher blocks),
 * so a base64 string that merely starts the same way does not count. Without this, a token file was base64
 * text of "random bytes" and a settings file with encrypted values was plain JSON.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { nulBeforeText } from './appended-clear.js';
import { locked, notingZeroPadding, textInfo } from './util.js';

/** A token of one cipher block: 73 bytes, 98 base64 characters and two of padding. */
const TOKEN = /gAAAAA[A-Za-z0-9_-]{92,}={0,2}/g;
/** 2013-01-01 and 2100-01-01, in seconds: the specification dates from 2013. */
const EARLIEST = 1356998400;
const LATEST = 4102444800;
/** Version, timestamp, IV and HMAC around the ciphertext. */
const OVERHEAD = 1 + 8 + 16 + 32;

/** When a token's layout holds, the time it was made (seconds since 1970). */
function tokenTime(token: string): number | undefined {
  const b = Buffer.from(token, 'base64url');
  if (b.length < OVERHEAD + 16 || (b.length - OVERHEAD) % 16 !== 0 || b[0] !== 0x80) return undefined;
  const time = b.readUInt32BE(1) * 2 ** 32 + b.readUInt32BE(5);
  return time >= EARLIEST && time <= LATEST ? time : undefined;
}

const KEY_HINT = {
  description:
    'The Fernet key (32 bytes in URL-safe base64) of the app that wrote it, often in its configuration or environment (FERNET_KEY, SECRET_KEY).',
  kind: 'key-file' as const,
  present: 'unknown' as const,
};

export const fernetDetector = defineDetector({
  meta: {
    id: 'fernet',
    version: '1.1.0',
    title: 'Fernet tokens (cryptography.fernet): token files, and text whose values are tokens',
    formats: [
      { id: 'fernet-token', name: 'Fernet token file', status: 'encrypted', how: 'structure' },
      { id: 'fernet-fields', name: 'Text with Fernet-encrypted values', status: 'encrypted', how: 'structure' },
    ],
  },
  minSize: 100,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Cheap first: tokens are ASCII text (a NUL in the first KiB ends it, unless only NULs follow it: a byte a copy
    // added, slack, which textInfo sets aside and the reason names), and every one starts with this prefix.
    if (nulBeforeText(h) || Buffer.from(h.buffer, h.byteOffset, h.length).indexOf('gAAAAA') < 0) return undefined;
    const info = textInfo(h);
    if (!info) return undefined;
    const text = info.text;
    const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]).slice(0, 256);
    const verified = tokens.map(tokenTime).filter((t): t is number => t !== undefined);
    if (verified.length === 0) return undefined;
    const made = new Date(Math.min(...verified) * 1000).toISOString().slice(0, 10);
    const whole = text.replace(TOKEN, '').trim() === '';
    if (whole)
      return notingZeroPadding(
        locked({
          id: 'fernet-token',
          name: 'Fernet token file',
          confidence: 0.97,
          code: 'FERNET_TOKEN',
          message: `The file is ${tokens.length > 1 ? `${tokens.length} Fernet tokens, one a line` : 'one Fernet token'}: version 0x80, a timestamp (${made}), an IV, AES-128-CBC ciphertext in whole blocks and an HMAC-SHA256 tag.`,
          figures: { tokens: tokens.length, earliest: made },
          scheme: 'fernet-aes-128-cbc',
          keyHint: KEY_HINT,
        }),
        info,
        'the token text before them',
      );
    return notingZeroPadding(
      locked({
        id: 'fernet-fields',
        name: 'Text with Fernet-encrypted values',
        confidence: 0.97,
        code: 'FERNET_VALUES',
        message: `Text holding ${verified.length} Fernet token${verified.length > 1 ? 's' : ''} (version 0x80, a timestamp from ${made}, AES-128-CBC and an HMAC tag) among readable text: those values need the app's Fernet key.`,
        figures: { tokens: verified.length, earliest: made },
        scheme: 'fernet-aes-128-cbc',
        scope: 'partial',
        keyHint: KEY_HINT,
      }),
      info,
    );
  },
});
