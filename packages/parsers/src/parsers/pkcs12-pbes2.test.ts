import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { berChildren, berNode, berOctets } from './ber.js';
import { findPbes2Content, pbes2EmptyPasswordOpens } from './pkcs12-pbes2.js';

const fixture = (name: string) => fs.readFileSync(new URL(`../../fixtures/pkcs12-password/${name}`, import.meta.url));

/** The authenticated safe of a PFX: the octets of authSafe's [0] content. */
function authenticatedSafe(pfx: Buffer): Buffer {
  const [, authSafe] = berChildren(pfx, berNode(pfx, 0)!);
  const [, explicit] = berChildren(pfx, authSafe!);
  return berOctets(pfx, berChildren(pfx, explicit!)[0]!)!;
}

/** A DER length. */
const len = (n: number) =>
  n < 0x80 ? Buffer.from([n]) : Buffer.concat([Buffer.from([0x84]), Buffer.from([n >>> 24, n >>> 16, n >>> 8, n])]);
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);

describe('PBES2 content in a PKCS#12 store', () => {
  it("finds OpenSSL's and NSS's (BER) encrypted content with its parameters", () => {
    const openssl = findPbes2Content(authenticatedSafe(fixture('protected.p12')));
    expect(openssl).toMatchObject({ digest: 'sha256', cipher: 'aes-256-cbc', keyLength: 32, iterations: 2048 });
    expect(openssl!.iv).toHaveLength(16);
    const nss = findPbes2Content(authenticatedSafe(fixture('nss-ber-protected.p12')));
    expect(nss).toMatchObject({ digest: 'sha256', iterations: 600000 });
  });

  it('opens with the empty password only where the store was made with it', () => {
    expect(pbes2EmptyPasswordOpens(findPbes2Content(authenticatedSafe(fixture('empty-password.p12')))!)).toBe(true);
    expect(pbes2EmptyPasswordOpens(findPbes2Content(authenticatedSafe(fixture('protected.p12')))!)).toBe(false);
  });

  it('finds nothing in the legacy algorithms, and stops on OCTET STRINGs nested 10,000 deep', () => {
    expect(findPbes2Content(authenticatedSafe(fixture('legacy-protected.p12')))).toBeUndefined();
    let nested = tlv(0x30, Buffer.alloc(8));
    for (let i = 0; i < 10_000; i++) nested = tlv(i % 2 ? 0x30 : 0x04, nested);
    expect(findPbes2Content(nested)).toBeUndefined();
  });
});
