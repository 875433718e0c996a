/**
 * Java keystores read whole. The detector walks only the entries in the probe's head, so a large
 * truststore (a JRE's `cacerts`: ~150 certificates, ~160 KiB) cannot be told there from a store
 * with a private key further on. This parser walks every entry: a store of certificates only is
 * readable (its password keys only the integrity digest) and is reclassified analysable; a store
 * with a key entry stays encrypted, with the counts.
 * Reference: OpenJDK sun.security.provider.JavaKeyStore engineLoad/engineStore (magic, version,
 * count, entries, then a 20-byte SHA-1 digest of password and contents).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import {
  JCEKS_MAGIC,
  JKS_TRUSTSTORE,
  KEYSTORE_DIGEST_BYTES,
  digestZeroed,
  keystoreCutShort,
  walkKeystore,
} from '../detectors/java-keystore.js';
import { zeroPaddingAfter, zeroPaddingNote } from '../detectors/util.js';

/** Keystores are small; a larger file is not read whole (the detector's answer stands). */
const MAX_KEYSTORE_BYTES = 64 * 1024 * 1024;

export const javaKeystoreEntriesParser = defineParser({
  meta: {
    id: 'java-keystore-entries',
    version: '1.1.0',
    title: 'Java keystores (JKS, JCEKS): every entry, not only those in the probe',
    formats: ['jks', 'jceks'],
    diagnostics: { KEYSTORE_ENTRIES_UNREAD: 'Not every keystore entry could be read: {reason}.' },
  },
  requires: { maxSize: MAX_KEYSTORE_BYTES, minSize: 12 },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const b = await ctx.readAll(MAX_KEYSTORE_BYTES);
    if (b.length < 12) {
      ctx.report({
        code: 'KEYSTORE_ENTRIES_UNREAD',
        severity: 'info',
        data: { reason: `the file holds ${b.length} bytes, less than the 12-byte header` },
      });
      return undefined;
    }
    const jceks = b.readUInt32BE(0) === JCEKS_MAGIC;
    const version = b.readUInt32BE(4);
    const count = b.readUInt32BE(8);
    const w = walkKeystore(b, count, jceks);
    const keys = w.privateKeys + w.secretKeys;
    const details = {
      entries: count,
      privateKeys: w.privateKeys,
      secretKeys: w.secretKeys,
      trustedCertificates: w.certificates,
      walkedAll: w.complete,
    };
    const name = jceks ? 'Java JCE keystore' : 'Java keystore';
    if ((w.cut || digestZeroed(w, b)) && keys === 0) {
      // The file ends inside an entry (cut short); every entry before the cut is a certificate.
      const cut = keystoreCutShort(w, b.length);
      return {
        details: { ...details, cutShort: true },
        reclassify: {
          status: 'analysable',
          confidence: 0.6,
          format: JKS_TRUSTSTORE,
          reasons: [
            {
              code: 'KEYSTORE_CUT_SHORT_CERTIFICATES',
              message: `${name} version ${version} with ${count} entries, ${cut.message}: the ${w.certificates} entries before it are trusted certificates and none is a key entry; what was lost past the cut may hold key entries.`,
              figures: { version, entries: count, trustedCertificates: w.certificates, ...cut.figures },
            },
          ],
        },
      };
    }
    if (!w.complete) {
      // A JCEKS secret-key entry is a serialised Java object the walk does not step over: it is a key entry all the same.
      const reason =
        w.secretKeys > 0
          ? `the walk stops at the first secret-key entry (a serialised Java object), after ${w.privateKeys + w.certificates} entries`
          : `entry ${w.privateKeys + w.certificates + 1} of ${count} is cut short or has an unknown tag`;
      ctx.report({ code: 'KEYSTORE_ENTRIES_UNREAD', severity: 'info', data: { reason } });
      return { details };
    }
    const digestFits = w.end + KEYSTORE_DIGEST_BYTES === b.length;
    // Zeros after the digest (a carve's slack, a block-rounded copy) are set aside.
    const padding = digestFits
      ? undefined
      : zeroPaddingAfter({ head: b, tail: b.subarray(0, 0), size: b.length }, w.end + KEYSTORE_DIGEST_BYTES);
    const note = zeroPaddingNote(padding, 'the store (its entries and SHA-1 digest) before them');
    if (keys > 0 || (!digestFits && !note)) return { details: { ...details, digestAtEnd: digestFits } };
    return {
      details: { ...details, digestAtEnd: true, ...(padding ? { zeroPaddingBytes: padding.zeroPadding } : {}) },
      reclassify: {
        status: 'analysable',
        confidence: 0.95,
        format: JKS_TRUSTSTORE,
        reasons: [
          {
            code: 'KEYSTORE_CERTIFICATES_ONLY',
            message: `${name} version ${version}: all ${count} entries read to the store's digest, every one a trusted certificate (readable; the store password only keys the integrity digest).`,
            figures: { version, entries: count, trustedCertificates: w.certificates, bytes: b.length },
          },
          ...(note ? [note] : []),
        ],
      },
    };
  },
});
