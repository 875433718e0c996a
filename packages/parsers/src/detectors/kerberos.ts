/**
 * Kerberos credential caches and keytabs as MIT krb5 and Heimdal write them to files: a user's tickets
 * (`/tmp/krb5cc_<uid>`, `KRB5CCNAME=FILE:…`; the session keys are in clear, the stuff of pass-the-ticket)
 * and a service's long-term keys (`/etc/krb5.keytab`, `*.keytab`). Both start with the byte 5 and a
 * version, two bytes random data hits often, so the records behind them must decode:
 *
 * - FILE ccache, versions 3 and 4 (big-endian): in version 4 a header of tagged fields whose lengths add
 *   up to its declared length; the default principal (name type, component count, realm and components as
 *   32-bit-length strings); then credentials, each a client and a server principal, a keyblock (enctype,
 *   in version 3 written twice, and the key), four times, the is_skey byte (0 or 1), flags, addresses,
 *   authorisation data, the ticket and a second ticket, chaining to the file's last byte.
 * - FILE keytab, version 2 (big-endian): signed 32-bit record lengths, each a key entry (principal with
 *   16-bit-length strings, name type, timestamp, key version, enctype, key, optional 32-bit key version)
 *   that fits its record, or a negative length for a hole; the records chain to the file's end.
 *
 * Names must be printable text and keys the size their enctype defines (RFC 3962, 8009, 6803, 4757,
 * 3961). Versions 1 and 2 of the ccache and version 1 of the keytab (native byte order, krb5 before
 * 1.0) are not read. Analysable: `klist -c`/`klist -k` list them and no secret is needed.
 * Reference: MIT krb5 doc/formats/ccache_file_format.rst and keytab_file_format.rst.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16be, u32be } from './util.js';

/** Key sizes in bytes by enctype number (RFC 3961 §8, 3962, 4757, 6803, 8009). */
const KEY_BYTES = new Map<number, number>([
  [1, 8], // des-cbc-crc
  [2, 8], // des-cbc-md4
  [3, 8], // des-cbc-md5
  [16, 24], // des3-cbc-sha1
  [17, 16], // aes128-cts-hmac-sha1-96
  [18, 32], // aes256-cts-hmac-sha1-96
  [19, 16], // aes128-cts-hmac-sha256-128
  [20, 32], // aes256-cts-hmac-sha384-192
  [23, 16], // arcfour-hmac (rc4-hmac)
  [24, 16], // arcfour-hmac-exp
  [25, 16], // camellia128-cts-cmac
  [26, 32], // camellia256-cts-cmac
]);
/** Bounds no real principal or cache comes near; they keep a walk over hostile lengths short. */
const MAX_COMPONENTS = 16;
const MAX_NAME = 1024;
const MAX_ADDRESSES = 64;
const MAX_AUTHDATA = 64;
/** Credentials (or keytab records) walked at most; a walk that reaches it without an error counts as read. */
const MAX_RECORDS = 4096;

const CCACHE = { id: 'kerberos-ccache', name: 'Kerberos credential cache (FILE ccache)' } as const;
const KEYTAB = { id: 'kerberos-keytab', name: 'Kerberos keytab' } as const;

/** A name: printable UTF-8 without control characters (realms, service and user names). */
function printable(b: Uint8Array, from: number, to: number): boolean {
  if (to - from > MAX_NAME) return false;
  for (let i = from; i < to; i++) if (b[i]! < 0x20 || b[i] === 0x7f) return false;
  return true;
}

/** A reader over the head that says where it ran out: `end` when a field passed the bytes held. */
class Cursor {
  at: number;
  /** True once a read needed bytes past the head. */
  short = false;
  constructor(
    readonly b: Uint8Array,
    at: number,
  ) {
    this.at = at;
  }
  u8(): number | undefined {
    if (this.at + 1 > this.b.length) return this.cut();
    return this.b[this.at++];
  }
  u16(): number | undefined {
    const v = u16be(this.b, this.at);
    if (v === undefined) return this.cut();
    this.at += 2;
    return v;
  }
  u32(): number | undefined {
    const v = u32be(this.b, this.at);
    if (v === undefined) return this.cut();
    this.at += 4;
    return v;
  }
  /** `n` bytes as a range, undefined when they are not all held. */
  bytes(n: number): [number, number] | undefined {
    if (this.at + n > this.b.length) return this.cut();
    const r: [number, number] = [this.at, this.at + n];
    this.at += n;
    return r;
  }
  private cut(): undefined {
    this.short = true;
    return undefined;
  }
}

/** A counted name (16- or 32-bit length) that must be printable; its text, or undefined. */
function name(c: Cursor, lengthBits: 16 | 32, allowEmpty: boolean): string | undefined {
  const n = lengthBits === 16 ? c.u16() : c.u32();
  if (n === undefined || n > MAX_NAME || (n === 0 && !allowEmpty)) return undefined;
  const r = c.bytes(n);
  if (!r || !printable(c.b, r[0], r[1])) return undefined;
  return Buffer.from(c.b.subarray(r[0], r[1])).toString('utf8');
}

/** A principal as `comp1/comp2@REALM`, or undefined when it does not decode. */
function principal(c: Cursor, kind: 'ccache' | 'keytab'): string | undefined {
  if (kind === 'ccache' && c.u32() === undefined) return undefined; // name type
  const count = kind === 'ccache' ? c.u32() : c.u16();
  if (count === undefined || count > MAX_COMPONENTS) return undefined;
  const bits = kind === 'ccache' ? 32 : 16;
  const realm = name(c, bits, false);
  if (realm === undefined) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = name(c, bits, kind === 'ccache');
    if (p === undefined) return undefined;
    parts.push(p);
  }
  if (kind === 'keytab' && c.u32() === undefined) return undefined; // name type
  return `${parts.join('/')}@${realm}`;
}

/** Skips a 32-bit-length data field that must fit the file; false when it does not. */
function skipData(c: Cursor, size: number): boolean {
  const n = c.u32();
  if (n === undefined || c.at + n > size) return false;
  if (c.at + n > c.b.length) {
    c.short = true;
    return false;
  }
  c.at += n;
  return true;
}

/** Enctype and key: the enctype must be known and the key its size (a zero enctype with no key in config entries). */
function keyblock(c: Cursor, version: number, size: number): number | undefined {
  const enctype = c.u16();
  if (enctype === undefined) return undefined;
  if (version === 3 && c.u16() !== enctype) return undefined;
  const n = c.u32();
  if (n === undefined) return undefined;
  if (!(enctype === 0 && n === 0) && KEY_BYTES.get(enctype) !== n) return undefined;
  return c.bytes(n) && c.at <= size ? enctype : undefined;
}

interface Credential {
  server: string;
  config: boolean;
  enctype: number;
}

function credential(c: Cursor, version: number, size: number): Credential | undefined {
  if (principal(c, 'ccache') === undefined) return undefined;
  const server = principal(c, 'ccache');
  if (server === undefined) return undefined;
  const enctype = keyblock(c, version, size);
  if (enctype === undefined) return undefined;
  for (let i = 0; i < 4; i++) if (c.u32() === undefined) return undefined; // authtime, starttime, endtime, renew_till
  const skey = c.u8();
  if (skey === undefined || skey > 1 || c.u32() === undefined) return undefined; // is_skey, flags
  for (const max of [MAX_ADDRESSES, MAX_AUTHDATA]) {
    const count = c.u32();
    if (count === undefined || count > max) return undefined;
    for (let i = 0; i < count; i++) if (c.u16() === undefined || !skipData(c, size)) return undefined;
  }
  if (!skipData(c, size) || !skipData(c, size)) return undefined; // ticket, second ticket
  return { server, config: server.endsWith('@X-CACHECONF:'), enctype };
}

interface Walk<T> {
  owner: string;
  records: T[];
  /** The walk reached the file's last byte (else the head ended inside a record). */
  whole: boolean;
}

function readCcache(probe: Probe): Walk<Credential> | undefined {
  const h = probe.head;
  const version = h[1]!;
  const c = new Cursor(h, 2);
  if (version === 4) {
    const length = c.u16();
    if (length === undefined || length > 1024) return undefined;
    const end = c.at + length;
    while (c.at < end) {
      if (c.u16() === undefined) return undefined;
      const n = c.u16();
      if (n === undefined || c.at + n > end) return undefined;
      c.at += n;
    }
    if (c.at !== end || end > h.length) return undefined;
  }
  const owner = principal(c, 'ccache');
  if (owner === undefined || c.at > probe.size) return undefined;
  const records: Credential[] = [];
  while (c.at < probe.size && records.length < MAX_RECORDS) {
    const start = c.at;
    const cred = credential(c, version, probe.size);
    if (!cred) {
      // The head ended inside a credential of a larger file: what was read stands if it holds a credential.
      if (c.short && probe.size > h.length && records.length > 0) return { owner, records, whole: false };
      return undefined;
    }
    if (c.at <= start) return undefined;
    records.push(cred);
  }
  if (records.length === MAX_RECORDS) return { owner, records, whole: false };
  return c.at === probe.size ? { owner, records, whole: true } : undefined;
}

interface KeyEntry {
  principal: string;
  enctype: number;
  kvno: number;
}

function keytabEntry(c: Cursor, end: number): KeyEntry | undefined {
  const who = principal(c, 'keytab');
  if (who === undefined || c.u32() === undefined) return undefined; // timestamp
  let kvno = c.u8();
  const enctype = c.u16();
  const n = c.u16();
  if (kvno === undefined || enctype === undefined || n === undefined || KEY_BYTES.get(enctype) !== n) return undefined;
  if (!c.bytes(n) || c.at > end) return undefined;
  // The 32-bit key version (krb5 1.14 on) overrides the 8-bit one when it fits the record and is not zero.
  if (c.at + 4 <= end) kvno = u32be(c.b, c.at) || kvno;
  return { principal: who, enctype, kvno };
}

function readKeytab(probe: Probe): Walk<KeyEntry> | undefined {
  const h = probe.head;
  const c = new Cursor(h, 2);
  const records: KeyEntry[] = [];
  let holes = 0;
  let ended = false;
  while (c.at < probe.size && records.length + holes < MAX_RECORDS) {
    const raw = c.u32();
    if (raw === undefined) break;
    const length = raw | 0;
    // A zero length ends the records, by the format; only zero bytes may follow it.
    if (length === 0) {
      ended = h.subarray(c.at).every((x) => x === 0);
      if (!ended) return undefined;
      break;
    }
    const end = c.at + Math.abs(length);
    if (end > probe.size) return undefined;
    if (length < 0) {
      holes++;
      c.at = end;
      continue;
    }
    const entry = keytabEntry(c, end);
    if (!entry) {
      if (c.short && probe.size > h.length && records.length > 0)
        return { owner: records[0]!.principal, records, whole: false };
      return undefined;
    }
    records.push(entry);
    c.at = end;
  }
  if (records.length === 0) return undefined;
  const whole = c.at === probe.size || ended;
  if (!whole && !(c.short && probe.size > h.length)) return undefined;
  return { owner: records[0]!.principal, records, whole };
}

const enctypeList = (ns: number[]): string => [...new Set(ns)].filter((n) => n !== 0).join(', ');

function ccacheVerdict(probe: Probe): Detection | undefined {
  const walk = readCcache(probe);
  if (!walk) return undefined;
  const version = probe.head[1]!;
  const tickets = walk.records.filter((r) => !r.config);
  const services = [...new Set(tickets.map((t) => t.server))];
  const shown = services.slice(0, 3).join(', ') + (services.length > 3 ? ', …' : '');
  return plain('analysable', {
    ...CCACHE,
    confidence: walk.whole ? 0.95 : 0.9,
    code: 'KERBEROS_CCACHE_RECORDS',
    message:
      `Kerberos FILE credential cache version ${version}: default principal ${walk.owner}, ` +
      `${tickets.length} ticket(s)${shown ? ` (${shown})` : ''} and ${walk.records.length - tickets.length} configuration entr${walk.records.length - tickets.length === 1 ? 'y' : 'ies'}` +
      `${walk.whole ? ' decode to the last byte of the file' : ' decode as far as the head goes'}. ` +
      'Session keys are stored in clear (klist -c reads it); not encrypted.',
    figures: {
      version,
      principal: walk.owner,
      tickets: tickets.length,
      configEntries: walk.records.length - tickets.length,
      enctypes: enctypeList(tickets.map((t) => t.enctype)),
    },
  });
}

function keytabVerdict(probe: Probe): Detection | undefined {
  const walk = readKeytab(probe);
  if (!walk) return undefined;
  const principals = [...new Set(walk.records.map((r) => r.principal))];
  return plain('analysable', {
    ...KEYTAB,
    confidence: walk.whole ? 0.95 : 0.9,
    code: 'KERBEROS_KEYTAB_ENTRIES',
    message:
      `Kerberos keytab version 2: ${walk.records.length} key entr${walk.records.length === 1 ? 'y' : 'ies'} for ` +
      `${principals.slice(0, 3).join(', ')}${principals.length > 3 ? ', …' : ''} (enctypes ${enctypeList(walk.records.map((r) => r.enctype))}) ` +
      `${walk.whole ? 'chain to the end of the file' : 'decode as far as the head goes'}. Long-term keys in clear (klist -k reads it); not encrypted.`,
    figures: {
      entries: walk.records.length,
      principal: walk.owner,
      principals: principals.length,
      enctypes: enctypeList(walk.records.map((r) => r.enctype)),
      kvno: walk.records[0]!.kvno,
    },
  });
}

export const kerberosDetector = defineDetector({
  meta: {
    id: 'kerberos',
    version: '1.0.0',
    title: 'Kerberos credential caches and keytabs (MIT krb5 / Heimdal FILE formats, by their records)',
    formats: [
      { ...CCACHE, status: 'analysable', how: 'structure', extensions: ['ccache'] },
      { ...KEYTAB, status: 'analysable', how: 'structure', extensions: ['keytab', 'kt'] },
    ],
  },
  minSize: 16,
  priority: 30,
  signatures: [
    { offset: 0, hex: '0502' },
    { offset: 0, hex: '0503' },
    { offset: 0, hex: '0504' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 5) return undefined;
    if (h[1] === 2) return keytabVerdict(probe);
    if (h[1] === 3 || h[1] === 4) return ccacheVerdict(probe);
    return undefined;
  },
});
