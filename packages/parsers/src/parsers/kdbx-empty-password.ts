/**
 * A KeePass KDBX database whose composite key is only the empty password is
 * no secret: this parser derives the key from the empty password and checks
 * it against what the file stores: KDBX 3.x (AES-KDF, AES-256-CBC) decrypts
 * its first block and compares it with StreamStartBytes; KDBX 4.x with AES-KDF
 * verifies the header HMAC-SHA256. Argon2 (KDBX 4 default) is not available in
 * node:crypto on Node 20, so those stay "encrypted" with the reason saying the
 * check was not made. Work is bounded (transform rounds <= MAX_ROUNDS).
 * References: KeePassXC src/format/Kdbx3Reader.cpp, Kdbx4Reader.cpp,
 * KeePass2.h (header field ids, cipher and KDF UUIDs), src/crypto/kdf/AesKdf.cpp;
 * KeePass "KDBX 4" file format notes (VariantDictionary, header HMAC).
 */
import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const AES_CIPHER = '31c1f2e6bf714350be5805216afc5aff';
const AES_KDF = ['c9d9f39a628a4460bf740d08c18a4fea', '7c02bb8279a74ac0927d114a00648238'];
/** Largest AES-KDF round count tried (KeePass 2.x used 6,000-60,000 by default): bounded work per file. */
const MAX_ROUNDS = 300_000;

type Header = { fields: Map<number, Buffer>; end: number; major: number };

function readHeader(b: Buffer): Header | undefined {
  if (b.length < 12 || b.readUInt32LE(0) !== 0x9aa2d903 || b.readUInt32LE(4) !== 0xb54bfb67) return undefined;
  const major = b.readUInt16LE(10);
  const wide = major >= 4;
  const fields = new Map<number, Buffer>();
  let at = 12;
  for (let n = 0; n < 64; n++) {
    const id = b[at];
    const len = wide
      ? at + 5 <= b.length
        ? b.readUInt32LE(at + 1)
        : -1
      : at + 3 <= b.length
        ? b.readUInt16LE(at + 1)
        : -1;
    const start = at + (wide ? 5 : 3);
    if (id === undefined || len < 0 || start + len > b.length) return undefined;
    fields.set(id, b.subarray(start, start + len));
    at = start + len;
    if (id === 0) return { fields, end: at, major };
  }
  return undefined;
}

/**
 * AES-KDF: `rounds` AES-256-ECB encryptions of the 32-byte composite key with the seed, then SHA-256.
 * ECB treats the two 16-byte halves apart, and CBC over zero blocks with a half as IV encrypts each
 * output again (C[i] = E(0 xor C[i-1])): so each half's chain is one CBC run over `rounds` zero blocks, in
 * native code, instead of a call per round.
 */
async function aesKdf(composite: Buffer, seed: Buffer, rounds: number): Promise<Buffer> {
  const halves = [composite.subarray(0, 16), composite.subarray(16, 32)].map((iv) => {
    const c = crypto.createCipheriv('aes-256-cbc', seed, iv);
    c.setAutoPadding(false);
    return { c, last: Buffer.from(iv) };
  });
  for (let done = 0; done < rounds;) {
    const blocks = Math.min(ZERO_BLOCKS.length / 16, rounds - done);
    for (const h of halves) h.last = h.c.update(ZERO_BLOCKS.subarray(0, blocks * 16)).subarray(-16);
    done += blocks;
    await nextTurn(); // let other items progress
  }
  return crypto
    .createHash('sha256')
    .update(Buffer.concat(halves.map((h) => h.last)))
    .digest();
}
/** Zero blocks fed to the CBC chains: 20,000 rounds a slice. */
const ZERO_BLOCKS = Buffer.alloc(20_000 * 16);

/** The AES-KDF seed and rounds from a KDBX 4 VariantDictionary, or why not. */
function kdf4(dict: Buffer): { seed: Buffer; rounds: number } | string {
  const items = new Map<string, Buffer>();
  let at = 2; // u16 version
  for (let n = 0; n < 32 && at < dict.length; n++) {
    const type = dict[at]!;
    if (type === 0 || at + 5 > dict.length) break;
    const nameLen = dict.readUInt32LE(at + 1);
    if (at + 9 + nameLen > dict.length) break;
    const name = dict.subarray(at + 5, at + 5 + nameLen).toString('utf8');
    const valueLen = dict.readUInt32LE(at + 5 + nameLen);
    items.set(name, dict.subarray(at + 9 + nameLen, at + 9 + nameLen + valueLen));
    at += 9 + nameLen + valueLen;
  }
  const uuid = items.get('$UUID')?.toString('hex') ?? '';
  if (!AES_KDF.includes(uuid))
    return uuid.startsWith('ef636ddf') || uuid.startsWith('9e298b19')
      ? 'Argon2 key derivation (not available in node:crypto here)'
      : 'an unknown key derivation';
  const r = items.get('R');
  const seed = items.get('S');
  if (!r || r.length !== 8 || !seed || seed.length !== 32) return 'incomplete AES-KDF parameters';
  return { seed, rounds: Number(r.readBigUInt64LE(0)) };
}

type Check = { opens: boolean; how: string; rounds: number } | { skipped: string };

async function check(b: Buffer, h: Header): Promise<Check> {
  const composite = crypto.createHash('sha256').update(crypto.createHash('sha256').update('').digest()).digest();
  const masterSeed = h.fields.get(4);
  if (!masterSeed) return { skipped: 'no master seed' };
  if (h.major < 4) {
    const seed = h.fields.get(5);
    const roundsField = h.fields.get(6);
    const iv = h.fields.get(7);
    const start = h.fields.get(9);
    if (h.fields.get(2)?.toString('hex') !== AES_CIPHER) return { skipped: 'a cipher other than AES-256' };
    if (!seed || seed.length !== 32 || !roundsField || roundsField.length !== 8 || !iv || iv.length !== 16 || !start)
      return { skipped: 'incomplete KDBX 3 header' };
    const rounds = Number(roundsField.readBigUInt64LE(0));
    if (rounds > MAX_ROUNDS) return { skipped: `${rounds} transform rounds, above the ${MAX_ROUNDS} checked` };
    const key = crypto
      .createHash('sha256')
      .update(masterSeed)
      .update(await aesKdf(composite, seed, rounds))
      .digest();
    const block = b.subarray(h.end, h.end + start.length);
    if (block.length !== start.length || block.length % 16 !== 0)
      return { skipped: 'payload shorter than the stream start bytes' };
    const d = crypto.createDecipheriv('aes-256-cbc', key, iv);
    d.setAutoPadding(false);
    return {
      opens: Buffer.concat([d.update(block), d.final()]).equals(start),
      how: 'the first payload block decrypts to StreamStartBytes',
      rounds,
    };
  }
  const dict = h.fields.get(11);
  const params = dict ? kdf4(dict) : 'no KDF parameters';
  if (typeof params === 'string') return { skipped: params };
  if (params.rounds > MAX_ROUNDS)
    return { skipped: `${params.rounds} transform rounds, above the ${MAX_ROUNDS} checked` };
  const stored = b.subarray(h.end + 32, h.end + 64);
  if (stored.length !== 32) return { skipped: 'no header HMAC' };
  const transformed = await aesKdf(composite, params.seed, params.rounds);
  const hmacKey = crypto
    .createHash('sha512')
    .update(masterSeed)
    .update(transformed)
    .update(Buffer.from([1]))
    .digest();
  const blockKey = crypto.createHash('sha512').update(Buffer.alloc(8, 0xff)).update(hmacKey).digest();
  const mac = crypto.createHmac('sha256', blockKey).update(b.subarray(0, h.end)).digest();
  return { opens: crypto.timingSafeEqual(mac, stored), how: 'the header HMAC-SHA256 verifies', rounds: params.rounds };
}

export const kdbxEmptyPasswordParser = defineParser({
  meta: {
    id: 'kdbx-empty-password',
    version: '1.0.0',
    title: 'KeePass KDBX: does the empty password open it?',
    formats: ['kdbx'],
    diagnostics: { KDBX_HEADER_UNREADABLE: 'The KDBX header could not be read: {reason}.' },
  },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const b = await ctx.read(0, 1 << 20);
    const h = readHeader(b);
    if (!h) {
      ctx.report({
        code: 'KDBX_HEADER_UNREADABLE',
        severity: 'info',
        message:
          'The KDBX header could not be read: it is cut short or not a KDBX 2.x/3.x/4.x header, so the empty password was not tried.',
      });
      return undefined;
    }
    let result: Check;
    try {
      result = await check(b, h);
    } catch (err) {
      result = { skipped: `the header fields could not be used (${(err as Error).message})` };
    }
    if ('skipped' in result) return { details: { emptyPasswordCheck: 'not made', why: result.skipped } };
    if (!result.opens) return { details: { emptyPasswordCheck: 'fails', rounds: result.rounds } };
    return {
      details: { emptyPasswordCheck: 'opens', rounds: result.rounds },
      reclassify: {
        status: 'analysable',
        confidence: 0.97,
        reasons: [
          {
            code: 'KDBX_EMPTY_PASSWORD_OPENS',
            message: `KDBX ${h.major}.x: with a composite key of only the empty password (AES-KDF, ${result.rounds} rounds) ${result.how}: the database opens without a secret.`,
            figures: { rounds: result.rounds },
          },
        ],
      },
    };
  },
});
