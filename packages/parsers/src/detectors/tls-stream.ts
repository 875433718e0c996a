/**
 * One direction of a TLS connection saved as bytes: TLS records back to back, from the ClientHello (the
 * client's side) or the ServerHello (the server's), as tcpflow writes each TCP flow to a file, as
 * Wireshark's "Follow TCP stream → Save as raw" and proxies' dumps do; and single handshake records as
 * TLS libraries keep them as test and fuzzing input (rustls' `deframer-test.1.bin` was opaque, its fuzzing
 * corpus's ServerKeyExchange and CertificateVerify records "encrypted" by statistics). Once application data (record type 23) flows, the
 * content is encrypted under the session's keys; a stream that holds only handshake, alert and
 * change-cipher-spec records carries no content.
 * Every record header must read (type 20-24, version 3.0-3.4, a length of 1 to 2^14 + 2048) and the
 * records must chain to the end of the file (a file held whole may end in NULs or text after its last whole record,
 * set aside: a line feed, a note, slack); the first is a handshake record whose messages' headers
 * (a known type, a length) chain to its end, or a ClientHello or ServerHello that runs on into the next.
 * Reference: RFC 8446 §5.1 (TLSPlaintext, TLSCiphertext), §4 (Handshake), RFC 5246 §6.2 (record layer,
 * 2^14 + 2048 for TLSCiphertext).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { afterStructureEnd, locked, notingZeroPadding, plain } from './util.js';

const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
const TYPES: Record<number, string> = {
  20: 'change_cipher_spec',
  21: 'alert',
  22: 'handshake',
  23: 'application_data',
  24: 'heartbeat',
};
const MAX_RECORD = 16384 + 2048;
const RECORD_HEADER = 5;
/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4; 0 hello_request, 254 message_hash). */
const MESSAGES: Record<number, string> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  5: 'EndOfEarlyData',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
  24: 'KeyUpdate',
  254: 'MessageHash',
};
/** The shortest ServerHello: version, random, an empty session id, a cipher suite, a compression method. */
const MIN_HELLO = 38;

export type TlsRecords = {
  /** The first handshake message (and its legacy version when it is a hello). */
  first: string;
  records: number;
  applicationData: number;
  /** Whether the records seen end exactly at the end of the file (else the file goes on past the head). */
  whole: boolean;
  /** Where the last whole record ends, when bytes no record owns follow it (`appended`). */
  end?: number;
};

/** Bytes appended after a stream's records: all NULs (padding) or all text (a line end, a note, a log a carve ran into). */
function appendedBytes(b: Uint8Array): boolean {
  if (b.every((x) => x === 0)) return true;
  return b.every((x) => x === 0x09 || x === 0x0a || x === 0x0d || (x >= 0x20 && x < 0x7f));
}

const versionName = (major: number, minor: number) =>
  major === 0x7f ? `TLS 1.3 draft ${minor}` : minor === 0 ? 'SSL 3.0' : `TLS 1.${minor - 1}`;

/**
 * The first record's handshake messages: their headers (a known type, a 3-byte length) must chain to the
 * record's end exactly. A ClientHello or ServerHello may instead run on into the next records (a fragmented
 * hello); its legacy version must read (3.x, or 7F.xx from the TLS 1.3 drafts). Returns the first message's name.
 */
function firstMessages(b: Uint8Array): string | undefined {
  const end = RECORD_HEADER + ((b[3]! << 8) | b[4]!);
  let at = RECORD_HEADER;
  let first: string | undefined;
  while (at + 4 <= Math.min(end, b.length)) {
    const name = MESSAGES[b[at]!];
    const length = (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    if (!name) return undefined;
    if (first === undefined) {
      first = name;
      if (b[at]! === 1 || b[at]! === 2) {
        const [major, minor] = [b[at + 4], b[at + 5]];
        if (length < MIN_HELLO || major === undefined || minor === undefined) return undefined;
        if (!((major === 3 && minor <= 4) || major === 0x7f)) return undefined;
        first = `${name} (legacy version ${versionName(major, minor)})`;
        if (at + 4 + length > end) return first;
      }
    }
    at += 4 + length;
  }
  // A first record longer than the head: its messages chain as far as the head goes.
  return at === end || (end > b.length && at + 4 > b.length) ? first : undefined;
}

/** Reads the record headers from the start of `b` (the head of a file of `size` bytes). */
export function readTlsRecords(b: Uint8Array, size: number): TlsRecords | undefined {
  if (b.length < RECORD_HEADER + 4 || b[0] !== HANDSHAKE || b[1] !== 3) return undefined;
  const first = firstMessages(b);
  if (!first) return undefined;
  let at = 0;
  let records = 0;
  let applicationData = 0;
  let bad = false;
  while (at + RECORD_HEADER <= b.length) {
    const type = b[at]!;
    const length = (b[at + 3]! << 8) | b[at + 4]!;
    if (!TYPES[type] || b[at + 1] !== 3 || b[at + 2]! > 4 || length === 0 || length > MAX_RECORD) {
      bad = true;
      break;
    }
    records++;
    if (type === APPLICATION_DATA) applicationData++;
    at += RECORD_HEADER + length;
  }
  // A file held whole may end in bytes no record owns after its last whole record: NULs or text, set aside. Bytes
  // that are neither (a record type no TLS version has, ciphertext) are a stream that does not read.
  if (b.length === size && at < size && records > 0 && appendedBytes(b.subarray(at, size)))
    return { first, records, applicationData, whole: true, end: at };
  if (bad) return undefined;
  // The records end at the end of the file; in a file larger than the head, the last one read may run on past it.
  if (at > size || (b.length === size && at !== size)) return undefined;
  return {
    first,
    records,
    applicationData,
    whole: at === size,
  };
}

const PLAIN = { id: 'tls-stream', name: 'TLS connection bytes (one direction, handshake only)' };
const ENCRYPTED = { id: 'tls-stream-encrypted', name: 'TLS connection bytes (one direction) with application data' };

export const tlsStreamDetector = defineDetector({
  meta: {
    id: 'tls-stream',
    version: '1.1.0',
    title: "One direction of a TLS connection saved as bytes (tcpflow, Wireshark's raw stream, TLS test input)",
    formats: [
      { ...PLAIN, status: 'analysable', how: 'structure', extensions: ['bin', 'raw'] },
      { ...ENCRYPTED, status: 'encrypted', how: 'structure', extensions: ['bin', 'raw'] },
    ],
  },
  minSize: RECORD_HEADER + 6,
  priority: 30,
  signatures: [0, 1, 2, 3, 4].map((minor) => ({ offset: 0, hex: `1603${minor.toString(16).padStart(2, '0')}` })),
  detect(probe): Detection | undefined {
    const s = readTlsRecords(probe.head, probe.size);
    if (!s) return undefined;
    return notingZeroPadding(
      judgeRecords(s),
      s.end === undefined ? undefined : afterStructureEnd(probe, s.end),
      'the TLS records before them',
    );
  },
});

/** The verdict on the records read: encrypted once application data flows, else the handshake in clear. */
function judgeRecords(s: TlsRecords): Detection {
  const figures = {
    first: s.first,
    records: s.records,
    applicationData: s.applicationData,
  };
  const shape = `${s.records} TLS record${s.records === 1 ? '' : 's'} back to back from a ${s.first}${s.whole ? (s.end === undefined ? ' to the end of the file' : ` to offset ${s.end}`) : ', running on past the bytes read'}`;
  if (s.applicationData > 0)
    return locked({
      ...ENCRYPTED,
      confidence: 0.85,
      code: 'TLS_APPLICATION_DATA',
      message: `${shape}; ${s.applicationData} carry application data, encrypted under the session's keys: one side of a TLS connection.`,
      figures,
      scheme: 'tls',
      keyHint: {
        description:
          "The session's TLS secrets: an SSLKEYLOGFILE that the browser, curl or the app wrote (CLIENT_RANDOM lines), or the server's RSA key when the cipher suite had no forward secrecy.",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/*keylog*', '**/*sslkey*'],
      },
    });
  return plain('analysable', {
    ...PLAIN,
    confidence: 0.8,
    code: 'TLS_HANDSHAKE_ONLY',
    message: `${shape}; none carries application data: handshake messages (readable up to the point the handshake is encrypted).`,
    figures,
  });
}
