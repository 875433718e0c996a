/**
 * Encrypted configuration exports of pfSense and OPNsense: "Encrypt this
 * configuration file" on the backup page wraps the output of
 * `openssl enc -aes-256-cbc -salt` (base64, beginning "U2FsdGVkX1", i.e.
 * "Salted__") in an armour, `---- BEGIN config.xml ----` … `---- END
 * config.xml ----`. OPNsense adds header lines (Version, Cipher, PBKDF2,
 * Hash) and a blank line before the base64. The armour is text, so without
 * this check the file was plain text; the XML inside needs the password
 * chosen at export.
 * References: pfSense src/etc/inc/crypt.inc (encrypt_data, tagged_encrypt);
 * OPNsense core src/opnsense/mvc/app/library/OPNsense/Backup/Base.php
 * (encrypt: the header lines). Fixtures made with openssl as those do
 * (fixtures/config-export-armour/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, fromBase64, locked, passwordHint } from './util.js';

const BEGIN = /^---- BEGIN ([A-Za-z0-9._-]{1,64}) ----\r?\n/;
/** OPNsense's header lines ("Cipher: AES-256-CBC"), then a blank line. */
const HEADERS = /^((?:[A-Za-z][A-Za-z0-9-]*: [^\r\n]*\r?\n){1,16})\r?\n/;

export const configExportArmourDetector = defineDetector({
  meta: {
    id: 'config-export-armour',
    version: '1.0.0',
    title: 'Encrypted firewall configuration exports (pfSense, OPNsense "---- BEGIN config.xml ----")',
    formats: [
      {
        id: 'firewall-config-encrypted',
        name: 'pfSense/OPNsense encrypted configuration export',
        status: 'encrypted',
        how: 'structure',
        extensions: ['xml'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: '---- BEGIN ' }],
  minSize: 64,
  priority: 20,
  detect(probe): Detection | undefined {
    const text = ascii(probe.head.subarray(0, 4096));
    const begin = BEGIN.exec(text);
    if (!begin) return undefined;
    const tag = begin[1]!;
    let at = begin[0].length;
    const headers = HEADERS.exec(text.slice(at));
    const fields: Record<string, string> = {};
    if (headers) {
      for (const line of headers[1]!.split(/\r?\n/)) {
        const colon = line.indexOf(': ');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
      }
      at += headers[0].length;
    }
    // The first base64 line must decode to OpenSSL's "Salted__" and an 8-byte salt.
    const firstLine = /^[A-Za-z0-9+/=]{16,}/.exec(text.slice(at))?.[0];
    const decoded = firstLine ? fromBase64(firstLine.slice(0, firstLine.length - (firstLine.length % 4))) : undefined;
    if (!decoded || decoded.length < 16 || decoded.subarray(0, 8).toString('latin1') !== 'Salted__') return undefined;
    // A whole file ends with the matching END line.
    if (probe.complete && !new RegExp(`\\n---- END ${tag.replace(/\./g, '\\.')} ----\\s*$`).test(ascii(probe.head)))
      return undefined;
    const product = fields.Version ? fields.Version : 'pfSense (no header lines)';
    const cipher = fields.Cipher ?? 'AES-256-CBC';
    return locked({
      id: 'firewall-config-encrypted',
      name: 'pfSense/OPNsense encrypted configuration export',
      confidence: 0.97,
      code: 'FIREWALL_CONFIG_ARMOUR',
      message: `"---- BEGIN ${tag} ----" armour (${product}) around base64 of an OpenSSL "Salted__" stream: the configuration is encrypted with ${cipher}${fields.PBKDF2 ? `, key from PBKDF2 (${fields.PBKDF2} iterations${fields.Hash ? `, ${fields.Hash}` : ''})` : ''} and the export password.`,
      scheme: `openssl-enc-${cipher.toLowerCase()}`,
      keyHint: passwordHint(
        'The password typed when the configuration was exported with "Encrypt this configuration file" (pfSense Diagnostics › Backup & Restore, OPNsense System › Configuration › Backups); the same password restores it.',
      ),
      figures: {
        tag,
        cipher,
        ...(fields.Version ? { version: fields.Version } : {}),
        ...(fields.PBKDF2 ? { pbkdf2Iterations: Number(fields.PBKDF2) || 0 } : {}),
      },
    });
  },
});
