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
 * - KRB-CRED messages (RFC 4120 §5.8, DER [APPLICATION 22]): tickets exported to a file, `.kirbi` as
 *   mimikatz, Rubeus and impacket's ticketConverter write them: pvno 5, msg-type 22, the tickets
 *   ([APPLICATION 1], each with its realm and service name) and the EncKrbCredPart, in clear (etype 0,
 *   an [APPLICATION 29] inside: the session keys readable) or encrypted under a session key.
 *
 * Names must be printable text and keys the size their enctype defines (RFC 3962, 8009, 6803, 4757,
 * 3961). Versions 1 and 2 of the ccache and version 1 of the keytab (native byte order, krb5 before
 * 1.0) are not read. Caches, keytabs and a KRB-CRED in clear are analysable (`klist -c`/`klist -k` list
 * them, no secret is needed); a KRB-CRED whose credential part is encrypted is encrypted, partly (its
 * tickets are clear), and one cut short after a whole ticket is opaque.
 * References: MIT krb5 doc/formats/ccache_file_format.rst and keytab_file_format.rst; RFC 4120 §5.3, §5.8.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { derTlv, locked, plain, u16be, u32be, type Tlv } from './util.js';

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
const KRB_CRED = { id: 'kerberos-krb-cred', name: 'Kerberos KRB-CRED message (.kirbi ticket export)' } as const;
const KRB_CRED_CUT = { id: 'kerberos-krb-cred-cut', name: 'Kerberos KRB-CRED message, cut short' } as const;
const KRB_CRED_LOCKED = {
  id: 'kerberos-krb-cred-encrypted',
  name: 'Kerberos KRB-CRED message, credential part encrypted',
} as const;
/** Elements read at most in one DER value (tickets in a KRB-CRED, components of a name). */
const MAX_ELEMENTS = 64;

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

/** The elements of the DER value `v` (constructed), each ending inside it; undefined when one does not. */
function elements(b: Uint8Array, v: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = v.start; at < v.end;) {
    const e = derTlv(b, at);
    if (!e || e.end > v.end || out.length === MAX_ELEMENTS) return undefined;
    out.push(e);
    at = e.end;
  }
  return out;
}

/** The one element inside an explicit context tag `[n]`, when it has `tag`. */
function tagged(b: Uint8Array, e: Tlv | undefined, n: number, tag: number): Tlv | undefined {
  if (!e || e.tag !== (0xa0 | n)) return undefined;
  const inner = derTlv(b, e.start);
  return inner && inner.tag === tag && inner.end === e.end ? inner : undefined;
}

/** A small DER INTEGER's value (Kerberos version numbers, message types, enctypes). */
function integer(b: Uint8Array, v: Tlv | undefined): number | undefined {
  if (!v || v.end - v.start < 1 || v.end - v.start > 4) return undefined;
  let n = b[v.start]! & 0x80 ? -1 : 0;
  for (let i = v.start; i < v.end; i++) n = n * 256 + b[i]!;
  return n;
}

/** A KerberosString (GeneralString), printable. */
function kerberosString(b: Uint8Array, v: Tlv | undefined): string | undefined {
  if (!v || v.tag !== 0x1b || v.end === v.start || !printable(b, v.start, v.end)) return undefined;
  return Buffer.from(b.subarray(v.start, v.end)).toString('utf8');
}

/** A PrincipalName (name-type, then a SEQUENCE OF KerberosString) as `a/b`. */
function principalName(b: Uint8Array, v: Tlv | undefined): string | undefined {
  const fields = v && v.tag === 0x30 ? elements(b, v) : undefined;
  if (!fields || integer(b, tagged(b, fields[0], 0, 0x02)) === undefined) return undefined;
  const list = tagged(b, fields[1], 1, 0x30);
  const parts = list ? elements(b, list)?.map((e) => kerberosString(b, e)) : undefined;
  if (!parts || parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  return parts.join('/');
}

/** A Ticket ([APPLICATION 1]): tkt-vno 5, realm, server name; its service principal. */
function ticketServer(b: Uint8Array, t: Tlv): string | undefined {
  if (t.tag !== 0x61) return undefined;
  const seq = derTlv(b, t.start);
  const fields = seq && seq.tag === 0x30 && seq.end === t.end ? elements(b, seq) : undefined;
  if (!fields || fields.length !== 4 || integer(b, tagged(b, fields[0], 0, 0x02)) !== 5) return undefined;
  const realm = kerberosString(b, tagged(b, fields[1], 1, 0x1b));
  const server = principalName(b, tagged(b, fields[2], 2, 0x30));
  return realm && server && tagged(b, fields[3], 3, 0x30) ? `${server}@${realm}` : undefined;
}

/** The client of the first KrbCredInfo in a clear EncKrbCredPart ([APPLICATION 29]), when it names one. */
function credClient(b: Uint8Array, part: Tlv): string | undefined {
  const seq = derTlv(b, part.start);
  const fields = seq && seq.tag === 0x30 ? elements(b, seq) : undefined;
  const infos = tagged(b, fields?.[0], 0, 0x30);
  const first = infos ? derTlv(b, infos.start) : undefined;
  const info = first && first.tag === 0x30 ? elements(b, first) : undefined;
  if (!info) return undefined;
  const realm = kerberosString(
    b,
    tagged(
      b,
      info.find((e) => e.tag === 0xa1),
      1,
      0x1b,
    ),
  );
  const name = principalName(
    b,
    tagged(
      b,
      info.find((e) => e.tag === 0xa2),
      2,
      0x30,
    ),
  );
  return realm && name ? `${name}@${realm}` : undefined;
}

/**
 * A KRB-CRED whose file ends before its declared length: pvno 5, msg-type 22 and at least one whole ticket
 * before the cut. The credential part (the session keys, last in the message) is lost: opaque.
 */
function cutKrbCred(probe: Probe, outer: Tlv): Detection | undefined {
  const h = probe.head;
  const seq = derTlv(h, outer.start, true);
  if (!seq || seq.tag !== 0x30 || !probe.complete) return undefined;
  const pvno = derTlv(h, seq.start);
  const type = pvno ? derTlv(h, pvno.end) : undefined;
  if (integer(h, tagged(h, pvno, 0, 0x02)) !== 5 || integer(h, tagged(h, type, 1, 0x02)) !== 22) return undefined;
  const wrapper = derTlv(h, type!.end, true);
  const list = wrapper && wrapper.tag === 0xa2 ? derTlv(h, wrapper.start, true) : undefined;
  if (!list || list.tag !== 0x30) return undefined;
  const servers: string[] = [];
  for (let at = list.start; at < Math.min(list.end, h.length) && servers.length < MAX_ELEMENTS;) {
    const t = derTlv(h, at);
    const server = t ? ticketServer(h, t) : undefined;
    if (!t || !server) break;
    servers.push(server);
    at = t.end;
  }
  if (servers.length === 0) return undefined;
  return plain('opaque', {
    ...KRB_CRED_CUT,
    confidence: 0.85,
    code: 'KERBEROS_KRB_CRED_CUT',
    message:
      `Kerberos KRB-CRED message (pvno 5, msg-type 22) of ${outer.end} bytes cut short at ${probe.size}: ` +
      `${servers.length} whole ticket(s) (${servers.slice(0, 3).join(', ')}) before the cut; the credential part with the session keys is lost. Not ciphertext.`,
    figures: { declaredBytes: outer.end, tickets: servers.length, server: servers[0]! },
  });
}

function krbCredVerdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  const outer = derTlv(h, 0, true);
  if (!outer || outer.tag !== 0x76) return undefined;
  if (outer.end > probe.size) return cutKrbCred(probe, outer);
  if (outer.end !== probe.size) return undefined;
  const seq = derTlv(h, outer.start);
  const fields = seq && seq.tag === 0x30 && seq.end === outer.end ? elements(h, seq) : undefined;
  if (!fields || fields.length !== 4) return undefined;
  if (integer(h, tagged(h, fields[0], 0, 0x02)) !== 5 || integer(h, tagged(h, fields[1], 1, 0x02)) !== 22)
    return undefined;
  const list = tagged(h, fields[2], 2, 0x30);
  const tickets = list ? elements(h, list) : undefined;
  const servers = tickets?.map((t) => ticketServer(h, t));
  if (!servers || servers.length === 0 || servers.some((s) => s === undefined)) return undefined;
  const encPart = tagged(h, fields[3], 3, 0x30);
  const enc = encPart ? elements(h, encPart) : undefined;
  const etype = integer(h, tagged(h, enc?.[0], 0, 0x02));
  const cipher = enc ? tagged(h, enc[enc.length - 1], 2, 0x04) : undefined;
  if (etype === undefined || !cipher) return undefined;
  const shown = servers.slice(0, 3).join(', ') + (servers.length > 3 ? ', …' : '');
  const figures = { tickets: servers.length, server: servers[0]!, encPartEtype: etype };
  if (etype === 0) {
    const part = derTlv(h, cipher.start);
    if (!part || part.tag !== 0x7d || part.end !== cipher.end) return undefined;
    const client = credClient(h, part);
    return plain('analysable', {
      ...KRB_CRED,
      confidence: 0.95,
      code: 'KERBEROS_KRB_CRED',
      message:
        `Kerberos KRB-CRED message (pvno 5, msg-type 22): ${servers.length} ticket(s) (${shown})` +
        `${client ? ` for ${client}` : ''}, the credential part in clear (etype 0): the session keys are readable, ` +
        'as ticket exports (.kirbi) of mimikatz, Rubeus and ticketConverter keep them; not encrypted.',
      figures: client ? { ...figures, client } : figures,
    });
  }
  return locked({
    ...KRB_CRED_LOCKED,
    confidence: 0.9,
    code: 'KERBEROS_KRB_CRED',
    message:
      `Kerberos KRB-CRED message (pvno 5, msg-type 22): ${servers.length} ticket(s) (${shown}); the credential part ` +
      `with the session keys is encrypted (etype ${etype}), under the session key of the exchange that forwarded it.`,
    figures,
    scheme: `krb-cred-etype-${etype}`,
    scope: 'partial',
    keyHint: {
      description: 'the session key of the Kerberos exchange that forwarded the tickets (not a password)',
      kind: 'unknown',
      present: 'unknown',
    },
  });
}

export const kerberosDetector = defineDetector({
  meta: {
    id: 'kerberos',
    version: '1.0.0',
    title: 'Kerberos credential caches, keytabs and KRB-CRED ticket exports (.kirbi), by their records',
    formats: [
      { ...CCACHE, status: 'analysable', how: 'structure', extensions: ['ccache'] },
      { ...KEYTAB, status: 'analysable', how: 'structure', extensions: ['keytab', 'kt'] },
      { ...KRB_CRED, status: 'analysable', how: 'structure', extensions: ['kirbi'] },
      { ...KRB_CRED_LOCKED, status: 'encrypted', how: 'structure', extensions: ['kirbi'] },
      { ...KRB_CRED_CUT, status: 'opaque', how: 'structure', extensions: ['kirbi'] },
    ],
  },
  minSize: 16,
  priority: 30,
  signatures: [
    { offset: 0, hex: '0502' },
    { offset: 0, hex: '0503' },
    { offset: 0, hex: '0504' },
    // KRB-CRED: [APPLICATION 22] with a long-form length (every real one is over 127 bytes).
    { offset: 0, hex: '7681' },
    { offset: 0, hex: '7682' },
    { offset: 0, hex: '7683' },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] === 0x76) return krbCredVerdict(probe);
    if (h[0] !== 5) return undefined;
    if (h[1] === 2) return keytabVerdict(probe);
    if (h[1] === 3 || h[1] === 4) return ccacheVerdict(probe);
    return undefined;
  },
});
