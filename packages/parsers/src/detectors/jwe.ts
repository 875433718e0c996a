/**
 * JSON Web Encryption (RFC 7516) saved as a file: the compact form (five
 * base64url parts, the first a protected header naming "alg" and "enc") or the
 * JSON form (an object with "ciphertext", "iv" and a protected or unprotected
 * header). Apps and servers keep tokens, exports and secrets so; the wrapper is
 * text, the payload ciphertext. What unlocks it follows from "alg": a shared
 * key ("dir", AES key wrap), the recipient's private key (RSA, ECDH-ES), or a
 * password (PBES2, with its salt and iteration count in the header).
 * A JWS (three parts, no "enc") is not encrypted and is not matched.
 * clevis (automated decryption, LUKS unlocking at boot) writes compact JWEs
 * whose header holds a "clevis" object naming its pin: "tang" (a key
 * exchange with the Tang server at "url"), "tpm2" (a key sealed by the
 * machine's TPM), "sss" (Shamir's secret sharing: "t" of the nested JWEs in
 * "jwe" open it) or "null" (the key "k" in the header itself, for testing:
 * anyone can decrypt, so the file is analysable, `jwe-clevis-open`).
 * Fixtures by jose (latchset), clevis and python3-jwcrypto.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, plain, textInfo } from './util.js';

const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/**
 * A compact JWE larger than the probe's head (a file or blob encrypted whole): the header, key and IV
 * parts and the ciphertext's start in the head, only base64url in the samples between, and the last dot
 * (before the authentication tag) in the tail.
 */
const COMPACT_HEAD = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const COMPACT_TAIL = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\s*$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

type Header = Record<string, unknown>;

function parseJson(text: string): Header | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Header) : undefined;
  } catch {
    return undefined;
  }
}

function base64urlJson(part: string): Header | undefined {
  return parseJson(Buffer.from(part, 'base64url').toString('utf8'));
}

/** The merged header of a JWE in JSON form (protected, shared unprotected, first recipient's), or undefined. */
function jsonFormHeader(doc: Header): Header | undefined {
  if (typeof doc['ciphertext'] !== 'string' || typeof doc['iv'] !== 'string') return undefined;
  const recipients = Array.isArray(doc['recipients']) ? (doc['recipients'] as unknown[]) : [];
  const recipient = (recipients[0] ?? {}) as Header;
  const parts = [
    typeof doc['protected'] === 'string' ? base64urlJson(doc['protected']) : undefined,
    doc['unprotected'],
    doc['header'],
    recipient['header'],
  ];
  const merged: Header = {};
  for (const p of parts) if (p && typeof p === 'object') Object.assign(merged, p);
  return typeof merged['enc'] === 'string' ? merged : undefined;
}

function keyHintFor(alg: string): KeyHint {
  if (alg.startsWith('PBES2'))
    return { description: 'The password the JWE was encrypted with (PBES2).', kind: 'password', present: 'unknown' };
  if (alg === 'dir' || /^A\d+(GCM)?KW$/.test(alg))
    return {
      description: `The shared symmetric key (JWK) the content or its key was ${alg === 'dir' ? 'encrypted' : 'wrapped'} with.`,
      kind: 'key-file',
      present: 'unknown',
    };
  return {
    description: `The recipient's private key (${alg}): a JWK, PEM or keystore entry of the service or app that receives it.`,
    kind: 'key-file',
    present: 'unknown',
  };
}

/** What a clevis pin needs, and whether the header itself holds the key (the null pin, or enough null shares). */
interface ClevisPin {
  pin: string;
  needs: string;
  open: boolean;
  /** A Tang server holds (part of) the key: its keys are files on that server, /var/db/tang. */
  tang: boolean;
}

function clevisPin(header: Header | undefined, depth = 0): ClevisPin | undefined {
  const clevis = header?.['clevis'];
  if (!clevis || typeof clevis !== 'object' || depth > 4) return undefined;
  const c = clevis as Header;
  const pin = typeof c['pin'] === 'string' ? c['pin'] : 'unknown';
  const config = (c[pin] ?? {}) as Header;
  if (pin === 'null') return { pin, needs: 'nothing: the key is in the header (null pin)', open: true, tang: false };
  if (pin === 'tang')
    return {
      pin,
      needs: `the Tang server at ${typeof config['url'] === 'string' ? config['url'] : 'an unnamed URL'} (its keys, kept in /var/db/tang)`,
      open: false,
      tang: true,
    };
  if (pin === 'tpm2')
    return {
      pin,
      needs: `the TPM 2.0 chip of the machine that sealed it (PCRs ${typeof config['pcr_ids'] === 'string' ? config['pcr_ids'] : 'none'})`,
      open: false,
      tang: false,
    };
  if (pin === 'sss') {
    const shares = (Array.isArray(config['jwe']) ? (config['jwe'] as unknown[]) : [])
      .map((j) => (typeof j === 'string' ? clevisPin(base64urlJson(j.split('.')[0] ?? ''), depth + 1) : undefined))
      .filter((p): p is ClevisPin => p !== undefined);
    // clevis refuses a threshold below 1; a header saying otherwise opens nothing by itself.
    const t = Number.isInteger(config['t']) && (config['t'] as number) >= 1 ? (config['t'] as number) : 1;
    const open = shares.filter((p) => p.open).length >= t;
    const tang = shares.some((p) => p.tang);
    return { pin, needs: `${t} of ${shares.length} shares: ${shares.map((p) => p.needs).join('; ')}`, open, tang };
  }
  return { pin, needs: `the clevis "${pin}" pin`, open: false, tang: false };
}

export const jweDetector = defineDetector({
  meta: {
    id: 'jwe',
    version: '1.0.0',
    title: 'JSON Web Encryption (JWE) files, compact or JSON form',
    formats: [
      {
        id: 'jwe',
        name: 'JSON Web Encryption (JWE)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['jwe', 'json', 'txt', 'jwt', 'token'],
      },
      {
        id: 'jwe-clevis-open',
        name: 'clevis JWE whose key is in its header (null pin)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['jwe'],
      },
    ],
  },
  minSize: 30,
  maxSize: 16 * 1024 * 1024,
  priority: 30,
  detect(probe): Detection | undefined {
    const c = probe.head[0];
    if (c !== 0x65 && c !== 0x7b && c !== 0x20 && c !== 0x0a && c !== 0x0d) return undefined; // "e…" or "{"
    let compact: RegExpExecArray | null;
    let header: Header | undefined;
    if (probe.complete) {
      const info = textInfo(probe.head);
      if (!info) return undefined;
      const text = info.text.trim();
      compact = COMPACT.exec(text);
      header = compact
        ? base64urlJson(compact[1]!)
        : text.startsWith('{')
          ? jsonFormHeader(parseJson(text) ?? {})
          : undefined;
    } else {
      const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
      compact = COMPACT_HEAD.exec(latin1(probe.head));
      const between = probe.samples.every((s) => BASE64URL.test(latin1(s.bytes)));
      if (!compact || !between || !COMPACT_TAIL.test(latin1(probe.tail))) return undefined;
      header = base64urlJson(compact[1]!);
    }
    const alg = header?.['alg'];
    const enc = header?.['enc'];
    if (typeof enc !== 'string' || typeof alg !== 'string') return undefined;
    const iterations = typeof header?.['p2c'] === 'number' ? header['p2c'] : undefined;
    const clevis = clevisPin(header);
    if (clevis?.open)
      return plain('analysable', {
        id: 'jwe-clevis-open',
        name: 'clevis JWE whose key is in its header (null pin)',
        confidence: 0.95,
        code: 'CLEVIS_KEY_IN_HEADER',
        message: `A JWE written by clevis with the "${clevis.pin}" pin, which needs ${clevis.needs}: "clevis decrypt" opens it with no secret.`,
        figures: { alg, enc, clevisPin: clevis.pin },
      });
    if (clevis)
      return locked({
        id: 'jwe',
        name: 'JSON Web Encryption (JWE)',
        confidence: 0.97,
        code: 'JWE_COMPACT',
        message: `A JWE written by clevis ("alg": "${alg}", "enc": "${enc}") with the "${clevis.pin}" pin: the key needs ${clevis.needs}.`,
        figures: { alg, enc, clevisPin: clevis.pin },
        scheme: `jwe-${enc.toLowerCase()}`,
        keyHint: {
          description: `clevis: ${clevis.needs}.`,
          kind: clevis.pin === 'tpm2' ? 'hardware' : 'key-file',
          present: clevis.pin === 'tpm2' ? 'no' : 'unknown',
          ...(clevis.tang ? { lookFor: ['**/var/db/tang/*.jwk'] } : {}),
        },
      });
    return locked({
      id: 'jwe',
      name: 'JSON Web Encryption (JWE)',
      confidence: 0.97,
      code: compact ? 'JWE_COMPACT' : 'JWE_JSON',
      message: `${compact ? 'Five base64url parts' : 'A JSON object with "ciphertext" and "iv"'} whose protected header names "alg": "${alg}" and "enc": "${enc}"${iterations ? ` (${iterations} PBES2 iterations)` : ''}: a JWE; the payload is ciphertext.`,
      figures: { alg, enc, ...(iterations ? { iterations } : {}) },
      scheme: `jwe-${enc.toLowerCase()}`,
      keyHint: keyHintFor(alg),
    });
  },
});
