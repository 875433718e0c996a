/**
 * Java keystores (JKS, magic FEEDFEED, and JCEKS, magic CECECECE). Entry
 * aliases and certificates are readable; private-key entries are encrypted
 * with the key password, so a store holding one is encrypted in part.
 * Reference: OpenJDK sun.security.provider.JavaKeyStore.engineLoad
 * (MAGIC 0xfeedfeed, VERSION_1/2, entry tags 1 = private key, 2 = trusted cert).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import {
  afterStructureEnd,
  locked,
  notingZeroPadding,
  plain,
  u16be,
  u32be,
  wholeBlocksEnd,
  zeroPaddingAfter,
} from './util.js';

/** The format of a JKS/JCEKS store that holds certificates only (readable), as the detector and the entries parser name it. */
export const JKS_TRUSTSTORE = { id: 'jks-truststore', name: 'Java keystore holding certificates only' } as const;
/** The first four bytes of a JCEKS store (a JKS store starts FEEDFEED). */
export const JCEKS_MAGIC = 0xcececece;

/** What a walk over a JKS/JCEKS store's entries found; `complete` when every declared entry was read. */
export interface KeystoreWalk {
  count: number;
  privateKeys: number;
  secretKeys: number;
  certificates: number;
  complete: boolean;
  /** Offset just past the last entry read (the store's SHA-1 digest follows the last entry). */
  end: number;
  /** The walk stopped because an entry runs past the bytes given (the head, or a file cut short). */
  cut: boolean;
  /** Entries read whole (each ends within the bytes given). */
  whole: number;
}

/** Walks the entries of a JKS/JCEKS store in `h` (the whole file or its head) from offset 12. */
export function walkKeystore(h: Uint8Array, count: number, jceks: boolean): KeystoreWalk {
  const w: KeystoreWalk = {
    count,
    privateKeys: 0,
    secretKeys: 0,
    certificates: 0,
    complete: false,
    end: 12,
    cut: false,
    whole: 0,
  };
  const ranOut = () => ((w.cut = true), w);
  let at = 12;
  for (let i = 0; i < count && i < 10_000; i++) {
    const tag = u32be(h, at);
    const aliasLength = u16be(h, at + 4);
    if (tag === undefined || aliasLength === undefined) return ranOut();
    // Only zeros where an entry should start: a store cut short and then padded (a carve's slack).
    if (tag === 0 && h.subarray(at).every((b) => b === 0)) return ranOut();
    at += 6 + aliasLength + 8;
    if (tag === 1) {
      w.privateKeys++;
      const keyLength = u32be(h, at);
      if (keyLength === undefined) return ranOut();
      at += 4 + keyLength;
      const chain = u32be(h, at);
      if (chain === undefined) return ranOut();
      at += 4;
      for (let c = 0; c < chain && c < 100; c++) {
        if (
          !skipCert(
            h,
            () => at,
            (v) => (at = v),
          )
        )
          return ranOut();
      }
    } else if (tag === 2) {
      w.certificates++;
      if (
        !skipCert(
          h,
          () => at,
          (v) => (at = v),
        )
      )
        return ranOut();
    } else if (tag === 3 && jceks) {
      w.secretKeys++;
      return w; // a serialised Java object follows; stop counting here
    } else return w;
    if (at > h.length) return ranOut(); // the entry's declared lengths run past the bytes
    w.end = at;
    w.whole++;
  }
  // Past 10,000 entries the walk stops without having seen them all.
  w.complete = count <= 10_000;
  return w;
}

function skipCert(h: Uint8Array, get: () => number, set: (v: number) => void): boolean {
  let at = get();
  const typeLength = u16be(h, at);
  if (typeLength === undefined) return false;
  at += 2 + typeLength;
  const certLength = u32be(h, at);
  if (certLength === undefined) return false;
  set(at + 4 + certLength);
  return true;
}

/** The SHA-1 digest of password and contents that follows a JKS/JCEKS store's last entry. */
export const KEYSTORE_DIGEST_BYTES = 20;

/**
 * A walk that completed into zero bytes where the SHA-1 digest should be, with only zeros after: a store cut
 * inside its last entry and then padded (the zeros read as that entry's lengths), not a whole store.
 */
export function digestZeroed(w: KeystoreWalk, b: Uint8Array): boolean {
  return w.complete && w.end + KEYSTORE_DIGEST_BYTES <= b.length && b.subarray(w.end).every((x) => x === 0);
}

/** What the reason says of a store whose entry walk ran past the end of the file. */
export function keystoreCutShort(w: KeystoreWalk, size: number): { message: string; figures: Record<string, number> } {
  return {
    message: `cut short: entry ${w.whole + 1} of ${w.count} runs past the end of the file (${size} bytes) or into the zero bytes that end it`,
    figures: { fileBytes: size, entriesWhole: w.whole },
  };
}

export const javaKeystoreDetector = defineDetector({
  meta: {
    id: 'java-keystore',
    version: '1.3.0',
    title: 'Java keystores (JKS, JCEKS, Bouncy Castle BKS and UBER)',
    formats: [
      {
        id: 'jks',
        name: 'Java keystore',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['jks', 'keystore', 'ks', 'bks', 'truststore'],
      },
      {
        id: 'jceks',
        name: 'Java JCE keystore',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['jceks', 'keystore', 'ks'],
      },
      {
        ...JKS_TRUSTSTORE,
        status: 'analysable',
        how: 'header-field',
        extensions: ['jks', 'keystore', 'ks', 'truststore', 'jceks'],
      },
      {
        id: 'bks',
        name: 'Bouncy Castle keystore (BKS) with sealed keys',
        status: 'encrypted',
        how: 'structure',
        extensions: ['bks', 'keystore'],
      },
      {
        id: 'bks-truststore',
        name: 'Bouncy Castle keystore (BKS) holding certificates only',
        status: 'analysable',
        how: 'structure',
        extensions: ['bks', 'keystore', 'truststore'],
      },
      {
        id: 'uber',
        name: 'Bouncy Castle UBER keystore (body encrypted)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['uber', 'ubr', 'keystore'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: 'feedfeed' },
    { offset: 0, hex: 'cececece' },
    { offset: 0, hex: '0000000100000014' },
    { offset: 0, hex: '0000000200000014' },
  ],
  minSize: 12,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u32be(h, 4) === 20 && (u32be(h, 0) === 1 || u32be(h, 0) === 2)) return bouncyCastle(probe);
    const jceks = u32be(h, 0) === JCEKS_MAGIC;
    const version = u32be(h, 4) ?? 0;
    const count = u32be(h, 8) ?? 0;
    if (version !== 1 && version !== 2) return undefined;
    const w = walkKeystore(h, count, jceks);
    const id = jceks ? 'jceks' : 'jks';
    const name = jceks ? 'Java JCE keystore' : 'Java keystore';
    const figures = {
      version,
      entries: count,
      privateKeys: w.privateKeys,
      trustedCertificates: w.certificates,
      walkedAll: w.complete,
    };
    const keys = w.privateKeys + w.secretKeys;
    // The whole file is in the head and an entry runs past its end: a store cut short, judged on the entries in sight.
    const cut = probe.complete && (w.cut || digestZeroed(w, h)) ? keystoreCutShort(w, probe.size) : undefined;
    if (keys === 0 && cut) {
      return plain('analysable', {
        ...JKS_TRUSTSTORE,
        confidence: 0.6,
        code: 'KEYSTORE_CUT_SHORT_CERTIFICATES',
        message: `${name} version ${version} with ${count} entries, ${cut.message}: the ${w.certificates} entries in sight are trusted certificates and none is a key entry; what was lost past the cut may hold key entries.`,
        figures: { ...figures, ...cut.figures },
      });
    }
    if (keys === 0 && w.complete) {
      // Zeros after the store's SHA-1 digest, which follows the last entry (a carve's slack, a block-rounded copy).
      const padding = probe.complete ? zeroPaddingAfter(probe, w.end + KEYSTORE_DIGEST_BYTES) : undefined;
      const judged = 'the store (its entries and SHA-1 digest) before them';
      return notingZeroPadding(
        plain('analysable', {
          ...JKS_TRUSTSTORE,
          confidence: 0.95,
          code: 'KEYSTORE_CERTIFICATES_ONLY',
          message: `${name} version ${version} with ${count} entries, all trusted certificates (readable; only the integrity check uses the store password).`,
          figures,
        }),
        padding,
        judged,
      );
    }
    return locked({
      id,
      name,
      confidence: keys > 0 ? (cut ? 0.9 : 0.95) : 0.8,
      code: cut ? 'KEYSTORE_CUT_SHORT_KEYS' : 'KEYSTORE_PRIVATE_KEYS',
      message: `${name} version ${version} with ${count} entries, ${keys} of them key entries encrypted with the key password${cut ? ` (${cut.message}; judged on the entries in sight)` : w.complete ? '' : ' (walk stopped at the end of the probe)'}; aliases and certificates are readable.`,
      figures: cut ? { ...figures, ...cut.figures } : figures,
      scope: 'partial',
      scheme: jceks ? 'jceks-pbe' : 'jks-sha1-xor',
      keyHint: {
        description: 'The keystore/key password (often in build files or app configuration near the store).',
        kind: 'password',
        present: 'unknown',
      },
    });
  },
});

const BKS_TYPES: Record<number, string> = { 1: 'certificate', 2: 'key', 3: 'secret', 4: 'sealed' };
/** BKS ends with an HMAC-SHA1 over the store (BcKeyStoreSpi.engineStore). */
const BKS_MAC_BYTES = 20;

/**
 * The fewest distinct byte values `n` random bytes show, with room: 85% of the expected
 * 256·(1 − (255/256)^n), capped at 100 (what a 256-byte window of ciphertext always clears).
 */
function randomDistinctFloor(n: number): number {
  return Math.min(100, Math.floor(0.85 * 256 * (1 - Math.pow(255 / 256, n))));
}
const storePassword = {
  description: "The keystore password (often in the app's code or configuration near the store).",
  kind: 'password' as const,
  present: 'unknown' as const,
};

/**
 * Bouncy Castle BKS (version 1/2: salt, iteration count, then entries in clear, key entries
 * "sealed" with the store password, HMAC at the end) and UBER (same header, body encrypted).
 * Reference: Bouncy Castle BcKeyStoreSpi (saveStore/loadStore: entry type, alias, date, chain,
 * encoded certificate or sealed key).
 */
function bouncyCastle(probe: Probe): Detection | undefined {
  const { head: h, size } = probe;
  const version = u32be(h, 0)!;
  const iterations = u32be(h, 28) ?? 0;
  if (iterations < 1 || iterations > 10_000_000) return undefined;
  const counts: Record<string, number> = {};
  let at = 32;
  let complete = false;
  for (let n = 0; n < 4096 && at < h.length; n++) {
    const type = h[at]!;
    if (type === 0) {
      complete = true;
      break;
    }
    const kind = BKS_TYPES[type];
    const aliasLength = u16be(h, at + 1);
    if (!kind || aliasLength === undefined || aliasLength > 1024) {
      at = -1;
      break;
    }
    let p = at + 3 + aliasLength + 8;
    const chain = u32be(h, p);
    if (chain === undefined || chain > 64) break;
    p += 4;
    const skipCert = () => {
      const typeLength = u16be(h, p);
      if (typeLength === undefined) return false;
      const certLength = u32be(h, p + 2 + typeLength);
      if (certLength === undefined) return false;
      p += 2 + typeLength + 4 + certLength;
      return true;
    };
    let ok = true;
    for (let c = 0; c < chain && ok; c++) ok = skipCert();
    if (!ok) break;
    if (type === 1) ok = skipCert();
    else if (type === 2) {
      p += 1; // key type byte, then format and algorithm strings, then the encoded key
      for (let s = 0; s < 2 && ok; s++) {
        const l = u16be(h, p);
        ok = l !== undefined;
        p += 2 + (l ?? 0);
      }
      const l = u32be(h, p);
      ok = ok && l !== undefined;
      p += 4 + (l ?? 0);
    } else {
      const l = u32be(h, p);
      ok = l !== undefined;
      p += 4 + (l ?? 0);
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (!ok) break;
    at = p;
  }
  const entries = Object.values(counts).reduce((a, b) => a + b, 0);
  // An empty BKS store: the end-of-entries byte right after the header, then only the 20-byte HMAC-SHA1.
  if (complete && entries === 0 && size === 32 + 1 + BKS_MAC_BYTES) {
    return plain('analysable', {
      id: 'bks-truststore',
      name: 'Bouncy Castle keystore (BKS) holding certificates only',
      confidence: 0.9,
      code: 'BKS_EMPTY',
      message: `Bouncy Castle BKS keystore (version ${version}, ${iterations} iterations) with no entries: the end-of-entries byte follows the header and only the ${BKS_MAC_BYTES}-byte integrity MAC remains; nothing is sealed.`,
      figures: { version, iterations, entries: 0, size },
    });
  }
  if (at === 32 || at < 0 || entries === 0) {
    // Not a BKS entry list: UBER encrypts everything after the iteration count (Twofish-CBC, so the
    // body is whole 16-byte blocks; an empty store is two: the end byte and the SHA-1 digest, padded).
    // A line end or NULs after the last whole block are no block's (a text tool's line feed, slack): set aside.
    const end = wholeBlocksEnd(probe, 32, 16);
    if (end === undefined) return undefined;
    const body = end - 32;
    if (version !== 1 || body < 32) return undefined;
    const sample = h.subarray(32, Math.min(h.length, 32 + 256));
    if (sample.length < Math.min(body, 256) || new Set(sample).size < randomDistinctFloor(sample.length))
      return undefined;
    const uber = locked({
      id: 'uber',
      name: 'Bouncy Castle UBER keystore (body encrypted)',
      confidence: body < 256 ? 0.75 : 0.8,
      code: 'UBER_KEYSTORE',
      message: `Bouncy Castle keystore header (version ${version}, 20-byte salt, ${iterations} iterations) followed by ${body} bytes of random-looking 16-byte blocks, not an entry list: an UBER store, whose whole body is encrypted with the store password.`,
      figures: { version, iterations, bodyBytes: body, distinctBytes: new Set(sample).size },
      scheme: 'uber-pbe-twofish',
      keyHint: storePassword,
    });
    return notingZeroPadding(uber, afterStructureEnd(probe, end), 'the header and blocks before them');
  }
  const figures = { version, iterations, entries, walkedAll: complete, ...counts };
  if (!counts['sealed'] && !counts['secret'] && !counts['key'] && complete) {
    return plain('analysable', {
      id: 'bks-truststore',
      name: 'Bouncy Castle keystore (BKS) holding certificates only',
      confidence: 0.93,
      code: 'BKS_CERTIFICATES_ONLY',
      message: `Bouncy Castle BKS keystore (version ${version}, ${iterations} iterations) with ${entries} certificate entr${entries === 1 ? 'y' : 'ies'} in clear: readable (the store password only keys the integrity MAC).`,
      figures,
    });
  }
  if (!counts['sealed'] && !counts['secret']) return undefined; // key entries in clear, or a walk that stopped early: no verdict
  return locked({
    id: 'bks',
    name: 'Bouncy Castle keystore (BKS) with sealed keys',
    confidence: 0.93,
    code: 'BKS_SEALED_KEYS',
    message: `Bouncy Castle BKS keystore (version ${version}, ${iterations} iterations): ${(counts['sealed'] ?? 0) + (counts['secret'] ?? 0)} key entr${(counts['sealed'] ?? 0) + (counts['secret'] ?? 0) === 1 ? 'y is' : 'ies are'} sealed with the store password; aliases and certificates are readable.`,
    figures,
    scope: 'partial',
    scheme: 'bks-pbe-sha1-3des',
    keyHint: storePassword,
  });
}
