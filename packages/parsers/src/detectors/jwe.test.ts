import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { jweDetector } from './jwe.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/jwe/', import.meta.url);

testDetector(
  jweDetector,
  {
    fixtures,
    valid: [
      {
        file: 'note.jwe',
        name: 'JSON form, shared key (jose)',
        format: 'jwe',
        status: 'encrypted',
        reasons: ['JWE_JSON'],
        encryption: { scheme: 'jwe-a256gcm', keyHint: { kind: 'key-file' } },
      },
      { file: 'note-compact.jwe', format: 'jwe', status: 'encrypted', reasons: ['JWE_COMPACT'] },
      // A NUL appended past the first 512 bytes (appended/make.sh): the text before it is judged.
      { file: 'appended/clevis-tang-nul.jwe', format: 'jwe', status: 'encrypted', reasons: ['JWE_COMPACT'] },
      {
        file: 'large-compact.jwe',
        name: 'larger than the probe head: the tag after the last dot is in the tail',
        format: 'jwe',
        status: 'encrypted',
        reasons: ['JWE_COMPACT'],
      },
      { file: 'token-rsa.jwe', format: 'jwe', status: 'encrypted', encryption: { keyHint: { kind: 'key-file' } } },
      {
        file: 'password.jwe',
        format: 'jwe',
        status: 'encrypted',
        encryption: { scheme: 'jwe-a128cbc-hs256', keyHint: { kind: 'password' } },
      },
      {
        file: 'clevis-tang.jwe',
        name: 'clevis tang pin: the key needs the Tang server',
        format: 'jwe',
        status: 'encrypted',
        encryption: { scheme: 'jwe-a256gcm', keyHint: { kind: 'key-file', lookFor: ['**/var/db/tang/*.jwk'] } },
      },
      {
        file: 'clevis-sss-tang.jwe',
        name: 'clevis sss pin, two tang shares of two',
        format: 'jwe',
        status: 'encrypted',
      },
      {
        file: 'clevis-null.jwe',
        name: 'clevis null pin: the key is in the header',
        format: 'jwe-clevis-open',
        status: 'analysable',
        reasons: ['CLEVIS_KEY_IN_HEADER'],
      },
      {
        file: 'clevis-sss-null.jwe',
        name: 'clevis sss pin whose one needed share is a null pin',
        format: 'jwe-clevis-open',
        status: 'analysable',
        reasons: ['CLEVIS_KEY_IN_HEADER'],
      },
    ],
    invalid: [
      { file: 'signed.jws', name: 'a JWS: signed, three parts, no "enc"' },
      { file: 'large-signed.jws', name: 'a JWS larger than the probe head' },
      { file: 'ciphertext-field.json', name: 'a "ciphertext" field without a JWE header' },
    ],
  },
  { framework: { describe, it } },
);

describe('jwe clevis pins', () => {
  const detect = (name: string) =>
    jweDetector.detect(wholeFileProbe(new Uint8Array(fs.readFileSync(new URL(name, fixtures))), name), {
      limits: {} as never,
    }) as Detection | undefined;

  it('names the Tang server a tang pin needs, and every share of an sss pin', () => {
    expect(detect('clevis-tang.jwe')?.encryption?.keyHint?.description).toContain('http://tang.example:7500');
    const sss = detect('clevis-sss-tang.jwe');
    expect(sss?.reasons[0]?.figures?.clevisPin).toBe('sss');
    expect(sss?.encryption?.keyHint?.description).toMatch(/2 of 2 shares.*tang1\.example.*tang2\.example/);
    expect(sss?.encryption?.keyHint?.lookFor).toEqual(['**/var/db/tang/*.jwk']);
  });

  it('takes no threshold below 1 from a header: a share must still open it', () => {
    const text = fs.readFileSync(new URL('clevis-sss-tang.jwe', fixtures), 'utf8');
    const [head, ...rest] = text.split('.');
    const header = JSON.parse(Buffer.from(head!, 'base64url').toString()) as { clevis: { sss: { t: number } } };
    header.clevis.sss.t = 0;
    const forged = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.');
    const d = jweDetector.detect(wholeFileProbe(Buffer.from(forged), 'x.jwe'), { limits: {} as never }) as
      Detection | undefined;
    expect(d?.format.id).toBe('jwe');
    expect(d?.status).toBe('encrypted');
  });
});

describe('jwe mutation fuzz', () => {
  const seeds = ['clevis-tang.jwe', 'clevis-sss-null.jwe', 'note-compact.jwe', 'note.jwe'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(jweDetector, seeds, 100, { wholeHalf: true });
});
