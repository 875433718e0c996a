/**
 * Java keystores (JKS, magic FEEDFEED, and JCEKS, magic CECECECE). Entry
 * aliases and certificates are readable; private-key entries are encrypted
 * with the key password, so a store holding one is encrypted in part.
 * Reference: OpenJDK sun.security.provider.JavaKeyStore.engineLoad
 * (MAGIC 0xfeedfeed, VERSION_1/2, entry tags 1 = private key, 2 = trusted cert).
 */
import { defineDetector, type Detection } from '@evtriage/core';
import { locked, plain, u16be, u32be } from './util.js';

interface Walk {
  count: number;
  privateKeys: number;
  secretKeys: number;
  certificates: number;
  complete: boolean;
}

function walk(h: Uint8Array, count: number, jceks: boolean): Walk {
  const w: Walk = { count, privateKeys: 0, secretKeys: 0, certificates: 0, complete: false };
  let at = 12;
  for (let i = 0; i < count && i < 10_000; i++) {
    const tag = u32be(h, at);
    const aliasLength = u16be(h, at + 4);
    if (tag === undefined || aliasLength === undefined) return w;
    at += 6 + aliasLength + 8;
    if (tag === 1) {
      w.privateKeys++;
      const keyLength = u32be(h, at);
      if (keyLength === undefined) return w;
      at += 4 + keyLength;
      const chain = u32be(h, at);
      if (chain === undefined) return w;
      at += 4;
      for (let c = 0; c < chain && c < 100; c++) {
        if (!skipCert(h, () => at, (v) => (at = v))) return w;
      }
    } else if (tag === 2) {
      w.certificates++;
      if (!skipCert(h, () => at, (v) => (at = v))) return w;
    } else if (tag === 3 && jceks) {
      w.secretKeys++;
      return w; // a serialised Java object follows; stop counting here
    } else return w;
  }
  w.complete = true;
  return w;
}

function skipCert(h: Uint8Array, get: () => number, set: (v: number) => void): boolean {
  let at = get();
  const typeLength = u16be(h, at);
  if (typeLength === undefined) return false;
  at += 2 + typeLength;
  const certLength = u32be(h, at);
  if (certLength === undefined) return false;
  set(at + 4 + certLength);
  return true;
}

export const javaKeystoreDetector = defineDetector({
  meta: {
    id: 'java-keystore',
    version: '1.0.0',
    title: 'Java keystores (JKS, JCEKS)',
    formats: [
      { id: 'jks', name: 'Java keystore', status: 'encrypted', how: 'header-field', extensions: ['jks', 'keystore', 'ks', 'bks', 'truststore'] },
      { id: 'jceks', name: 'Java JCE keystore', status: 'encrypted', how: 'header-field', extensions: ['jceks', 'keystore', 'ks'] },
      { id: 'jks-truststore', name: 'Java keystore holding certificates only', status: 'analysable', how: 'header-field', extensions: ['jks', 'keystore', 'ks', 'truststore', 'jceks'] },
    ],
  },
  signatures: [{ offset: 0, hex: 'feedfeed' }, { offset: 0, hex: 'cececece' }],
  minSize: 12,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const jceks = u32be(h, 0) === 0xcececece;
    const version = u32be(h, 4) ?? 0;
    const count = u32be(h, 8) ?? 0;
    if (version !== 1 && version !== 2) return undefined;
    const w = walk(h, count, jceks);
    const id = jceks ? 'jceks' : 'jks';
    const name = jceks ? 'Java JCE keystore' : 'Java keystore';
    const figures = { version, entries: count, privateKeys: w.privateKeys, trustedCertificates: w.certificates, walkedAll: w.complete };
    if (w.privateKeys + w.secretKeys === 0 && w.complete) {
      return plain('analysable', {
        id: 'jks-truststore', name: 'Java keystore holding certificates only', confidence: 0.95, code: 'KEYSTORE_CERTIFICATES_ONLY',
        message: `${name} version ${version} with ${count} entries, all trusted certificates (readable; only the integrity check uses the store password).`, figures,
      });
    }
    return locked({
      id, name, confidence: w.privateKeys + w.secretKeys > 0 ? 0.95 : 0.8, code: 'KEYSTORE_PRIVATE_KEYS',
      message: `${name} version ${version} with ${count} entries, ${w.privateKeys + w.secretKeys} of them key entries encrypted with the key password${w.complete ? '' : ' (walk stopped at the end of the probe)'}; aliases and certificates are readable.`,
      figures, scope: 'partial', scheme: jceks ? 'jceks-pbe' : 'jks-sha1-xor',
      keyHint: { description: 'The keystore/key password (often in build files or app configuration near the store).', kind: 'password', present: 'unknown' },
    });
  },
});
