import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { berChildren, berNode, berOctets } from './ber.js';

const fixtures = new URL('../../fixtures/pkcs12-password/', import.meta.url);

describe('BER reader', () => {
  it('reads a BER PKCS#12 by NSS: indefinite lengths to their end-of-contents, chunked OCTET STRING joined', () => {
    const b = fs.readFileSync(new URL('nss-ber-protected.p12', fixtures));
    const pfx = berNode(b, 0)!;
    expect(pfx.end).toBe(b.length);
    const [version, authSafe, macData] = berChildren(b, pfx);
    expect([version!.tag, authSafe!.tag, macData!.tag]).toEqual([0x02, 0x30, 0x30]);
    const [, explicit] = berChildren(b, authSafe!);
    const octets = berChildren(b, explicit!)[0]!;
    expect(octets.tag).toBe(0x24);
    const joined = berOctets(b, octets)!;
    // The joined contents are one DER/BER SEQUENCE (the AuthenticatedSafe) that spans them exactly.
    expect(berNode(joined, 0)?.end).toBe(joined.length);
  });

  it('reads DER the same way (a DER store by openssl)', () => {
    const b = fs.readFileSync(new URL('protected.p12', fixtures));
    expect(berNode(b, 0)?.end).toBe(b.length);
  });

  it('never throws and never reads past the bytes: truncations of a real store and 5,000 seeded random buffers', () => {
    const b = fs.readFileSync(new URL('nss-ber-protected.p12', fixtures));
    for (let cut = 0; cut < b.length; cut += 7) {
      const part = b.subarray(0, cut);
      const node = berNode(part, 0);
      if (node) expect(node.end).toBeLessThanOrEqual(part.length);
    }
    for (let seed = 1; seed <= 5_000; seed++) {
      const bytes = seededBytes(seed * 2654435761, [4, 64, 512, 4096][seed % 4]!);
      bytes[0] = seed % 2 ? 0x30 : 0x24;
      if (seed % 3 === 0) bytes[1] = 0x80; // indefinite
      const node = berNode(bytes, 0);
      if (!node) continue;
      expect(node.end).toBeLessThanOrEqual(bytes.length);
      for (const child of berChildren(bytes, node)) expect(child.end).toBeLessThanOrEqual(node.contentEnd);
      berOctets(bytes, node);
    }
  });
});
