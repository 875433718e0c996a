/**
 * Chromium OSCrypt / Electron safeStorage ciphertext written into text: apps
 * built on Electron keep secrets as `safeStorage.encryptString` output, which
 * is Chromium's OSCrypt format — "v10" or "v11", then AES-256-GCM (Windows:
 * a 12-byte nonce, the ciphertext and a 16-byte tag) or AES-128-CBC (macOS,
 * Linux: whole 16-byte blocks) — and store it base64 ("djEw…", "djEx…") or hex
 * ("763130…") as a JSON string, often behind a short tag ("enc:", "encrypted:").
 * A value counts when it is a whole quoted string, decodes to the prefix and at
 * least 32 bytes, and those bytes look like ciphertext (few printable, many
 * distinct), so base64 text that happens to start "v10" is not taken.
 * Values under a key ending "encrypted_hash" are left out: since Chromium 13x
 * a profile's `Preferences` keeps OSCrypt-encrypted copies of its tamper-check
 * MACs there (`protection.macs.*_encrypted_hash`, `protection.super_encrypted_hash`),
 * integrity tags over settings that are themselves in clear, not content.
 * References: Chromium components/os_crypt (kObfuscationPrefixV10/V11, the
 * Windows AES-GCM and POSIX AES-CBC layouts), services/preferences/tracked
 * (PrefHashStoreImpl, encrypted hashes); Electron docs/api/safe-storage.md.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, textInfo, textMarks } from './util.js';

/** Where a value may start ("v1" in base64 or hex): one search each, in the text's byte form. */
const hasMark = textMarks(['djE', '76313']);
const B64_VALUE = /"(?:[A-Za-z_]{1,12}:)?(djE[wx][A-Za-z0-9+/]{42,}={0,2})"/g;
const HEX_VALUE = /"(?:[A-Za-z_]{1,12}:)?(76313[01](?:[0-9a-fA-F]{2}){32,})"/g;
const MAX_VALUES = 256;

/** The prefix of a decoded value when the rest looks like OSCrypt ciphertext, else undefined. */
function oscrypt(bytes: Buffer): string | undefined {
  const prefix = bytes.subarray(0, 3).toString('latin1');
  if (prefix !== 'v10' && prefix !== 'v11') return undefined;
  const body = bytes.subarray(3);
  if (body.length < 32) return undefined;
  let printable = 0;
  const seen = new Set<number>();
  for (const b of body) {
    if (b >= 0x20 && b < 0x7f) printable++;
    seen.add(b);
  }
  // Random bytes: about 37% printable, and n bytes show about 256·(1 − e^(−n/256)) distinct values.
  const expected = 256 * (1 - Math.exp(-body.length / 256));
  return printable < body.length * 0.6 && seen.size >= expected * 0.8 ? prefix : undefined;
}

/** A key whose values are Chromium's encrypted preference MACs (services/preferences/tracked). */
const MAC_KEY = /encrypted_hash$/;

/**
 * Where the string values under a MAC key start (the offset of their opening quote), read by a tolerant
 * JSON walk that keeps the stack of keys: the head may end anywhere, and text that is not JSON only
 * yields no such key.
 */
function macValueStarts(text: string): Set<number> {
  const starts = new Set<number>();
  // Per open object or array: whether it is an object, and whether it sits under a MAC key.
  const stack: { object: boolean; under: boolean }[] = [];
  let key: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey) key = text.slice(i + 1, j);
      else if (top && (top.under || (top.object && key !== undefined && MAC_KEY.test(key)))) starts.add(i);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      const top = stack.at(-1);
      const under = (top?.under ?? false) || (top?.object === true && key !== undefined && MAC_KEY.test(key));
      stack.push({ object: c === '{', under });
      key = undefined;
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      key = undefined;
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack.at(-1)?.object === true;
      key = undefined;
    }
  }
  return starts;
}

export const oscryptTextDetector = defineDetector({
  meta: {
    id: 'oscrypt-text',
    version: '1.1.0',
    title: 'Chromium OSCrypt / Electron safeStorage values written into text',
    formats: [
      {
        id: 'electron-safestorage-text',
        name: 'Text holding Electron safeStorage (Chromium OSCrypt) ciphertext',
        status: 'encrypted',
        how: 'structure',
        extensions: ['json', 'txt', 'config'],
      },
    ],
  },
  minSize: 48,
  priority: 36,
  detect(probe): Detection | undefined {
    if (!hasMark(probe.head)) return undefined;
    const info = textInfo(probe.head);
    if (!info) return undefined;
    const macs = macValueStarts(info.text);
    const prefixes = new Map<string, number>();
    let values = 0;
    for (const [re, encoding] of [
      [B64_VALUE, 'base64'],
      [HEX_VALUE, 'hex'],
    ] as const) {
      for (const m of info.text.matchAll(re)) {
        if (values >= MAX_VALUES) break;
        if (macs.has(m.index)) continue;
        const prefix = oscrypt(Buffer.from(m[1]!, encoding));
        if (!prefix) continue;
        values++;
        prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
      }
    }
    if (values === 0) return undefined;
    const kinds = [...prefixes.keys()].sort();
    return locked({
      id: 'electron-safestorage-text',
      name: 'Text holding Electron safeStorage (Chromium OSCrypt) ciphertext',
      confidence: 0.95,
      code: 'OSCRYPT_VALUES_IN_TEXT',
      message: `${values} string value(s) that decode to "${kinds.join('"/"')}" and ciphertext: Chromium OSCrypt output, as Electron's safeStorage writes it, among readable ${info.encoding} text. The values need the operating system's key store; the text around them is clear.`,
      figures: { values, prefixes: kinds.join(','), textEncoding: info.encoding },
      scope: 'partial',
      scheme: `electron-safestorage-${kinds[0]}`,
      keyHint: {
        description:
          'The OS key store of the app that wrote it: on Windows the DPAPI-wrapped key in the app\'s "Local State" (os_crypt.encrypted_key) and the user\'s Windows password; on macOS the keychain item "<App> Safe Storage"; on Linux the desktop keyring ("v11"), or a built-in password ("v10").',
        kind: 'keystore',
        present: 'unknown',
      },
    });
  },
});
