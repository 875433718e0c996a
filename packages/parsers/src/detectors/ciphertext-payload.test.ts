import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { ciphertextPayload, ciphertextPayloadDetector, MIN_PAYLOAD_BYTES } from './ciphertext-payload.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Ciphertext by OpenSSL in JSON (jq), XML Encryption, base32 and base64; look-alikes (fixtures/ciphertext-payload/generate.sh).
testDetector(
  ciphertextPayloadDetector,
  {
    fixtures: new URL('../../fixtures/ciphertext-payload/', import.meta.url),
    valid: [
      {
        file: 'vault.json',
        format: 'json-ciphertext',
        status: 'encrypted',
        confidence: { min: 0.95, max: 0.95 },
        reasons: ['DOCUMENT_CIPHERTEXT'],
      },
      { file: 'payload-hex.json', format: 'json-ciphertext', status: 'encrypted', reasons: ['DOCUMENT_CIPHERTEXT'] },
      { file: 'encrypted-data.xml', format: 'xml-ciphertext', status: 'encrypted', reasons: ['DOCUMENT_CIPHERTEXT'] },
      { file: 'notes.b32', format: 'base32-ciphertext', status: 'encrypted', reasons: ['ENCODED_CIPHERTEXT'] },
      {
        file: 'export.dat',
        format: 'base64-ciphertext',
        status: 'encrypted',
        confidence: { min: 0.86, max: 0.86 },
        reasons: ['ENCODED_CIPHERTEXT'],
      },
      // gpg --symmetric as plain base64 (977 bytes decoded, below the statistics' 1 KiB): its packets say encrypted.
      {
        file: 'note.pgp.b64',
        format: 'base64-ciphertext',
        status: 'encrypted',
        reasons: ['ENCODED_ENCRYPTED_FORMAT'],
        encryption: { scheme: 'openpgp-symmetric-aes-256' },
      },
      // openssl cms -encrypt DER output as plain base64: the ContentInfo says envelopedData.
      {
        file: 'smime.p7m.b64',
        format: 'base64-ciphertext',
        status: 'encrypted',
        reasons: ['ENCODED_ENCRYPTED_FORMAT'],
        encryption: { scheme: 'cms-aes256-cbc' },
      },
    ],
    invalid: [
      // A signed-only CMS message as plain base64: readable.
      { file: 'signed.p7m.b64' },
      // A public key exported by gpg, as plain base64: readable bytes in an encoding.
      { file: 'courier-key.b64' },
      // A PNG, gzip and raw DEFLATE carried in JSON: readable bytes, however dense.
      { file: 'avatar.json' },
      { file: 'cache-gzip.json' },
      { file: 'cache-deflate.json' },
      // 64 random bytes: a key, not a message.
      { file: 'key.b64' },
      // One encrypted field beside more readable text than it holds: a readable document (rule 1).
      { file: 'mixed.json' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);

describe('ciphertextPayload', () => {
  it('needs at least 1 KiB: keys and signatures are smaller', async () => {
    const bytes = seededBytes(5, MIN_PAYLOAD_BYTES - 1);
    expect(await ciphertextPayload(bytes, true)).toBeUndefined();
    expect(await ciphertextPayload(seededBytes(5, MIN_PAYLOAD_BYTES), true)).toBeDefined();
  });

  it('does not take text or repeated records for ciphertext', async () => {
    const text = Buffer.from('The courier arrives at noon. '.repeat(100));
    expect(await ciphertextPayload(text, true)).toBeUndefined();
  });

  it('gives its figures over the decoded bytes', async () => {
    const found = await ciphertextPayload(seededBytes(9, 4096), true);
    expect(found?.figures).toMatchObject({ decodedBytesTested: 4096 });
    expect(Number(found?.figures['decodedChiSquareP'])).toBeGreaterThan(0.001);
  });
});

describe('documents and server-side code', () => {
  const ctx = { limits: DEFAULT_LIMITS };
  const value = Buffer.from(seededBytes(21, 1500)).toString('base64');

  it('takes an XML start (declaration, comment, element) for a document', async () => {
    for (const start of ['<?xml version="1.0"?>\n<data>', '<!-- export -->\n<data>', '<data>']) {
      const probe = wholeFileProbe(Buffer.from(`${start}${value}</data>\n`));
      const found = (await ciphertextPayloadDetector.detect(probe, ctx)) as Detection | undefined;
      expect(found?.format.id).toBe('xml-ciphertext');
    }
  });

  it('line breaks around a value are read in one pass, and a wrapped value is still found', async () => {
    // "<a>", 4,000 line breaks and "!" took 12 s: the white space around the value traded line breaks with it.
    for (const text of ['<a>' + '\n'.repeat(16_000) + '!', `<a>${value}${'\n'.repeat(12_000)}!`])
      expect(await ciphertextPayloadDetector.detect(wholeFileProbe(Buffer.from(text)), ctx)).toBeUndefined();
    const wrapped = value.match(/.{1,64}/g)!.join('\r\n');
    const found = (await ciphertextPayloadDetector.detect(
      wholeFileProbe(Buffer.from(`<data>\r\n${wrapped}\r\n</data>\r\n`)),
      ctx,
    )) as Detection | undefined;
    expect(found?.format.id).toBe('xml-ciphertext');
  });

  it('does not take PHP, ASP or JSP holding one long encoded string for an XML document', async () => {
    // ionCube's text body after its loader stub (fixtures/code-encoders) had been called XML ciphertext.
    const ioncube = fs.readFileSync(new URL('../../fixtures/code-encoders/ioncube-text.php', import.meta.url));
    expect(await ciphertextPayloadDetector.detect(wholeFileProbe(ioncube, 'licensed.php'), ctx)).toBeUndefined();
    for (const start of ["<?php $p = '", "<?= '", "<% s = '"])
      expect(
        await ciphertextPayloadDetector.detect(wholeFileProbe(Buffer.from(`${start}${value}';\n`)), ctx),
      ).toBeUndefined();
  });
});
