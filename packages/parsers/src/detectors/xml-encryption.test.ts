import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { xmlEncryptionDetector, xmlEncryptionShape } from './xml-encryption.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { seededBytes as seeded } from '../seeded-bytes.test-helper.js';

const fixtures = new URL('../../fixtures/xml-encryption/', import.meta.url);

// Made by xmlsec1 1.2.37 (fixtures/xml-encryption/generate.sh).
testDetector(
  xmlEncryptionDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted-data-aes128.xml',
        format: 'xmlenc-encrypted',
        status: 'encrypted',
        reasons: ['XMLENC_ENCRYPTED_ROOT'],
        encryption: { scheme: 'xmlenc-aes128-cbc', scope: 'full' },
      },
      {
        file: 'encrypted-element-rsa-oaep.xml',
        format: 'xmlenc-encrypted',
        status: 'encrypted',
        reasons: ['XMLENC_ENCRYPTED_SUBSTANCE'],
        encryption: { scheme: 'xmlenc-aes256-cbc', scope: 'partial' },
      },
    ],
    invalid: [
      // The template xmlsec1 fills: an empty CipherValue holds no ciphertext.
      { file: 'template-data-aes128.xml' },
      // The plaintext before encryption.
      { file: 'payment.xml' },
      // A four-digit PIN encrypted inside forty readable lines: readable XML with an encrypted field.
      { file: 'field-encrypted-in-long-document.xml' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);

describe('xml-encryption', () => {
  const ctx = { limits: DEFAULT_LIMITS };
  const read = (name: string) => fs.readFileSync(new URL(name, fixtures));

  it('names the recipient key the session key is wrapped for, and the key name of a shared key', () => {
    const element = xmlEncryptionDetector.detect(
      wholeFileProbe(read('encrypted-element-rsa-oaep.xml')),
      ctx,
    ) as Detection;
    expect(element.encryption?.keyHint).toMatchObject({ kind: 'keystore' });
    expect(element.encryption?.keyHint?.description).toContain('rsa-oaep-mgf1p');
    const data = xmlEncryptionDetector.detect(wholeFileProbe(read('encrypted-data-aes128.xml')), ctx) as Detection;
    expect(data.encryption?.keyHint?.description).toContain('"job"');
  });

  it('counts ciphertext apart from the readable text around it, and the certificate of the recipient as neither', () => {
    const s = xmlEncryptionShape(read('encrypted-element-rsa-oaep.xml').toString('utf8'))!;
    expect(s.root).toBe('PaymentInfo');
    expect(s.readableChars).toBe('JoSmith'.length);
    expect(s.cipherChars).toBeGreaterThan(200);
    // The AES session key wrapped for the 2048-bit RSA key: 256 bytes, 344 base64 characters.
    expect(s.wrappedKeyChars).toBe(344);
    expect(s.algorithms).toEqual(['aes256-cbc', 'rsa-oaep-mgf1p']);
    const field = xmlEncryptionShape(read('field-encrypted-in-long-document.xml').toString('utf8'))!;
    expect(field.readableChars).toBeGreaterThan(field.cipherChars);
  });

  it('ignores comments, processing instructions and a DOCTYPE with an internal subset before the root', () => {
    const doc = read('encrypted-data-aes128.xml')
      .toString('utf8')
      .replace('?>', '?>\n<!DOCTYPE x [ <!ENTITY a "<b>"> ]>\n<!-- <Wrapper> -->\n<?pi <Other>?>');
    expect(xmlEncryptionShape(doc)?.root).toBe('EncryptedData');
    const found = xmlEncryptionDetector.detect(wholeFileProbe(Buffer.from(doc)), ctx) as Detection;
    expect(found.status).toBe('encrypted');
  });

  it('does not take a signature whose HMAC key is carried wrapped (EncryptedKey) for encrypted content', () => {
    const wrapped = Buffer.from(
      [
        '<?xml version="1.0"?>',
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><Reference URI="#o"><DigestValue>q1x2</DigestValue></Reference></SignedInfo>',
        '<SignatureValue>9a8b</SignatureValue><KeyInfo><EncryptedKey xmlns="http://www.w3.org/2001/04/xmlenc#">',
        '<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-1_5"/>',
        `<CipherData><CipherValue>${Buffer.from(seeded(7, 256)).toString('base64')}</CipherValue></CipherData></EncryptedKey></KeyInfo>`,
        '<Object Id="o">Pay the courier on arrival.</Object></Signature>',
      ].join('\n'),
    );
    expect(xmlEncryptionDetector.detect(wholeFileProbe(wrapped), ctx)).toBeUndefined();
    // The same wrapped key as a document of its own is locked, as a key file is.
    const alone = wrapped
      .toString('utf8')
      .replace(/^[\s\S]*?(<EncryptedKey)/, '<?xml version="1.0"?>\n$1')
      .replace(/<\/KeyInfo>[\s\S]*$/, '');
    const found = xmlEncryptionDetector.detect(wholeFileProbe(Buffer.from(alone)), ctx) as Detection;
    expect(found.encryption).toMatchObject({ scheme: 'xmlenc-rsa-1_5', scope: 'full' });
  });

  it('does not take a script that writes an XML Encryption document for one', () => {
    const doc = read('encrypted-data-aes128.xml').toString('utf8');
    const script = `#!/bin/sh\ncat > out.xml <<'X'\n${doc}X\n`;
    expect(xmlEncryptionShape(script)).toBeUndefined();
    expect(xmlEncryptionDetector.detect(wholeFileProbe(Buffer.from(script)), ctx)).toBeUndefined();
    // A byte-order mark and blank lines before the root are a document's.
    expect(xmlEncryptionShape(`\uFEFF\n\n${doc}`)?.root).toBe('EncryptedData');
  });

  it('reads hostile markup (unclosed quotes, tags, comments and DOCTYPE subsets by the thousand) without stalling', () => {
    const ns = '<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#">';
    for (const unit of ['<a "', '<a ', '<!DOCTYPE [', '<!-- ', "<a b='"]) {
      const head = Buffer.from(ns + unit.repeat(Math.floor(65536 / unit.length)));
      const found = xmlEncryptionDetector.detect(wholeFileProbe(head), ctx);
      expect(found).toBeUndefined();
    }
  });

  it('does not take a document that only mentions the namespace for encryption', () => {
    const doc = Buffer.from(
      '<?xml version="1.0"?>\n<links><a href="http://www.w3.org/2001/04/xmlenc#">XML Encryption</a><CipherValue>QUJDREVGR0hJSktMTU5PUFFSU1RVVldY</CipherValue></links>\n',
    );
    expect(xmlEncryptionDetector.detect(wholeFileProbe(doc), ctx)).toBeUndefined();
  });
});

describe('xml-encryption mutation fuzz', () => {
  const seeds = [
    'encrypted-data-aes128.xml',
    'encrypted-element-rsa-oaep.xml',
    'field-encrypted-in-long-document.xml',
  ].map((name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const);
  fuzzFlipCutGrow(xmlEncryptionDetector, seeds, 300, { wholeHalf: true });
});
