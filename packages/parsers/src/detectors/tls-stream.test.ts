import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { readTlsRecords, tlsStreamDetector } from './tls-stream.js';

const dir = new URL('../../fixtures/tls-stream/', import.meta.url);
const read = (name: string) => fs.readFileSync(new URL(name, dir));

// Both sides of TLS 1.3 and 1.2 connections made by Node's TLS through a recording proxy (make-tls-streams.mjs).
testDetector(
  tlsStreamDetector,
  {
    fixtures: dir,
    valid: [
      {
        file: 'client-tls13.bin',
        format: 'tls-stream-encrypted',
        status: 'encrypted',
        reasons: ['TLS_APPLICATION_DATA'],
      },
      {
        file: 'server-tls13.bin',
        format: 'tls-stream-encrypted',
        status: 'encrypted',
        reasons: ['TLS_APPLICATION_DATA'],
      },
      {
        file: 'client-tls12.bin',
        format: 'tls-stream-encrypted',
        status: 'encrypted',
        reasons: ['TLS_APPLICATION_DATA'],
      },
      {
        file: 'server-tls12.bin',
        format: 'tls-stream-encrypted',
        status: 'encrypted',
        reasons: ['TLS_APPLICATION_DATA'],
      },
      { file: 'clienthello.bin', format: 'tls-stream', status: 'analysable', reasons: ['TLS_HANDSHAKE_ONLY'] },
      { file: 'certificate-record.bin', format: 'tls-stream', status: 'analysable', reasons: ['TLS_HANDSHAKE_ONLY'] },
      // The same streams with bytes appended (fixtures/tls-stream/appended/make.sh): set aside, named.
      ...[
        ['appended/client-tls13-newline.bin', 'TRAILING_DATA'],
        ['appended/server-tls12-log.bin', 'TRAILING_DATA'],
        ['appended/client-tls12-padded.bin', 'TRAILING_ZERO_PADDING'],
        ['appended/server-tls13-nul.bin', 'TRAILING_ZERO_PADDING'],
      ].map(([file, code]) => ({
        file: file!,
        format: 'tls-stream-encrypted',
        status: 'encrypted' as const,
        reasons: ['TLS_APPLICATION_DATA', code!],
      })),
    ],
    // Bytes after the records that are neither NULs nor text are no appended note: no stream.
    invalid: [{ file: 'near-miss.bin' }, { file: 'appended/clienthello-random-after.bin' }],
  },
  { framework: { describe, it } },
);

describe('readTlsRecords', () => {
  it('counts the records and names the first handshake message', () => {
    const b = read('server-tls12.bin');
    expect(readTlsRecords(b, b.length)).toMatchObject({ first: 'ServerHello (legacy version TLS 1.2)', whole: true });
    const c = read('clienthello.bin');
    expect(readTlsRecords(c, c.length)).toEqual({
      first: 'ClientHello (legacy version TLS 1.2)',
      records: 1,
      applicationData: 0,
      whole: true,
    });
  });
  it('sets aside NULs or text after the last whole record of a file held whole, nothing else', () => {
    const b = read('client-tls13.bin');
    const text = Buffer.concat([b, Buffer.from('examiner note\n')]);
    expect(readTlsRecords(text, text.length)).toMatchObject({ whole: true, end: b.length });
    const zeros = Buffer.concat([b, Buffer.alloc(3)]);
    expect(readTlsRecords(zeros, zeros.length)).toMatchObject({ whole: true, end: b.length });
    const mixed = Buffer.concat([b, Buffer.from('note\n\0\xff', 'latin1')]);
    expect(readTlsRecords(mixed, mixed.length)).toBeUndefined();
    // Read in part (a file larger than the head), bytes that are no record are never set aside.
    expect(readTlsRecords(text, text.length + 100_000)).toBeUndefined();
  });
  it('takes a head whose last record runs on past it only when the file is larger', () => {
    const b = read('server-tls13.bin');
    expect(readTlsRecords(b.subarray(0, 200), b.length)?.whole).toBe(false);
    expect(readTlsRecords(b.subarray(0, 200), 200)).toBeUndefined();
  });
  it('refuses an unknown handshake message type, and an unknown record type', () => {
    const b = Buffer.from(read('client-tls13.bin'));
    b[5] = 0x63; // no handshake message type
    expect(readTlsRecords(b, b.length)).toBeUndefined();
    const c = Buffer.from(read('client-tls13.bin'));
    c[5 + c.readUInt16BE(3)] = 0x19; // the second record's type
    expect(readTlsRecords(c, c.length)).toBeUndefined();
  });
});

describe('fuzz: tlsStreamDetector', () => {
  fuzzFlipCutGrow(
    tlsStreamDetector,
    ['client-tls13.bin', 'server-tls12.bin'].map((name) => [name, read(name)] as const),
    20,
  );
});
