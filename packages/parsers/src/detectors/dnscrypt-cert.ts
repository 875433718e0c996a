/**
 * DNSCrypt v2 resolver certificates (what a DNSCrypt resolver serves in a TXT record and keeps in a
 * `.cert` file: dnscrypt-wrapper, Unbound, dnsdist). Fixed layout: the magic "DNSC", the es-version
 * (1: X25519-XSalsa20Poly1305, 2: X25519-XChacha20Poly1305), protocol minor version 0, the provider's
 * Ed25519 signature (64 bytes) over the resolver's public key (32), the client magic (8), a serial and
 * the validity start and end (Unix times), then extensions. Its body is keys and a signature, so the
 * statistics called it ciphertext. Accepted: the magic, a defined es-version, minor version 0, at least
 * the 124 bytes of the fixed fields and a validity that ends after it starts, both after 2000 and before
 * 2100. Analysable: signed public data, nothing is encrypted.
 * Reference: DNSCrypt version 2 protocol specification (DNSCRYPT-V2-PROTOCOL.txt, "Certificates").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16be, u32be } from './util.js';

const FIXED = 124;
/** Extensions are short; a certificate stays within a DNS TXT record's few hundred bytes. */
const MAX_SIZE = 1024;
const CIPHERS: Record<number, string> = { 1: 'X25519-XSalsa20Poly1305', 2: 'X25519-XChacha20Poly1305' };
const YEAR_2000 = 946_684_800;
const YEAR_2100 = 4_102_444_800;

const day = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);

export const dnscryptCertDetector = defineDetector({
  meta: {
    id: 'dnscrypt-cert',
    version: '1.0.0',
    title: 'DNSCrypt v2 resolver certificates by their fixed layout',
    formats: [
      {
        id: 'dnscrypt-cert',
        name: 'DNSCrypt resolver certificate',
        status: 'analysable',
        how: 'header-field',
        extensions: ['cert'],
      },
    ],
  },
  minSize: FIXED,
  maxSize: MAX_SIZE,
  priority: 30,
  signatures: [{ offset: 0, ascii: 'DNSC' }],
  detect(probe): Detection | undefined {
    const h = probe.head;
    const es = u16be(h, 4);
    const serial = u32be(h, 112);
    const start = u32be(h, 116);
    const end = u32be(h, 120);
    if (es === undefined || serial === undefined || start === undefined || end === undefined) return undefined;
    const cipher = CIPHERS[es];
    if (!cipher || u16be(h, 6) !== 0 || start < YEAR_2000 || end > YEAR_2100 || end <= start) return undefined;
    return plain('analysable', {
      id: 'dnscrypt-cert',
      name: 'DNSCrypt resolver certificate',
      confidence: probe.size === FIXED ? 0.95 : 0.9,
      code: 'DNSCRYPT_CERT_FIELDS',
      message:
        `DNSCrypt certificate ("DNSC"), es-version ${es} (${cipher}), serial ${serial}, valid ${day(start)} to ${day(end)}: ` +
        `the resolver's public key signed by its provider's Ed25519 key${probe.size > FIXED ? `, ${probe.size - FIXED} bytes of extensions` : ''}. Signed public data; not encrypted.`,
      figures: { esVersion: es, cipher, serial, validFrom: day(start), validTo: day(end) },
    });
  },
});
