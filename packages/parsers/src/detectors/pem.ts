/**
 * PEM-armored keys and certificates: encrypted private keys (PKCS#8
 * "ENCRYPTED PRIVATE KEY", legacy "Proc-Type: 4,ENCRYPTED" headers, OpenSSH
 * keys whose cipher is not "none") and the readable look-alikes
 * (certificates, public keys, private keys in clear).
 * References: RFC 7468 (textual encodings); RFC 1421 §4.6.1.1 (Proc-Type);
 * OpenSSH PROTOCOL.key ("openssh-key-v1"); PuTTY manual appendix C "PPK file
 * format" (header line, "Encryption: none | aes256-cbc", Key-Derivation in v3);
 * minisign and signify secret keys (base64 after "untrusted comment:": "Ed",
 * then the KDF: "Sc" scrypt or 0 for minisign, "BK" bcrypt with a round count,
 * 0 rounds meaning no passphrase, for signify); SSH Communications Security's
 * private keys ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", which puttygen
 * and ssh-keygen -e write and read: the header says "ENCRYPTED" whether or not
 * a passphrase was set, and the blob's cipher name, after its magic 0x3f6ff9eb
 * and key type, says which: "none" or "3des-cbc"; PuTTY's import.c and
 * OpenSSH's sshkey import read them so); TPM2-wrapped keys ("TSS2 PRIVATE
 * KEY", and "TSS2 KEY BLOB" of older engines: the ASN.1 TPMKey of the
 * openssl_tpm2_engine and tpm2-openssl key-file spec, an OID 2.23.133.10.1.3
 * loadable, .4 importable or .5 sealed, then emptyAuth, parent, public and
 * private; the private part is encrypted under the parent key inside the TPM).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { fromBase64, ascii, derTlv, hexOf, locked, plain, notingZeroPadding, textInfo } from './util.js';
import { trailingRunLength } from '../text-ends.js';

const SSHCOM_BEGIN = '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----';
const SSHCOM_MAGIC = 0x3f6ff9eb;

/**
 * A PEM boundary stands on a line of its own (RFC 7468 §2); one quoted inside source code (`b"""-----BEGIN`) does
 * not. Labels are printable characters but the hyphen, single spaces between words ("X9.42 DH PARAMETERS",
 * "PKCS #7 SIGNED DATA").
 */
const BEGIN = /(?:^|\n)[ \t]*-----BEGIN ([!-,.-~]+(?: [!-,.-~]+)*)-----\r?\n/;

/**
 * Labels of public or readable material: RFC 7468's, the ones OpenSSL reads and writes (crypto/pem/pem.h:
 * the old "X509 CERTIFICATE", "CERTIFICATE PAIR", the PKCS#1 and DSA public keys, DH, DSA and EC domain
 * parameters, "PKCS #7 SIGNED DATA"), gpgsm's "SIGNED MESSAGE". OpenSSH's "SSH SIGNATURE" is its own format.
 */
const PUBLIC_LABELS = new Set([
  'CERTIFICATE',
  'X509 CERTIFICATE',
  'TRUSTED CERTIFICATE',
  'CERTIFICATE PAIR',
  'ATTRIBUTE CERTIFICATE',
  'X509 CRL',
  'CERTIFICATE REQUEST',
  'NEW CERTIFICATE REQUEST',
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'DSA PUBLIC KEY',
  'PKCS7',
  'PKCS #7 SIGNED DATA',
  'CMS',
  'SIGNED MESSAGE',
  'DH PARAMETERS',
  'X9.42 DH PARAMETERS',
  'DSA PARAMETERS',
  'EC PARAMETERS',
  'SM2 PARAMETERS',
  'PARAMETERS',
]);

/** The END boundary, when the head holds it, must end its line too (`-----END …-----"""` closes a string literal). */
function endsOwnLine(text: string, label: string, from: number): boolean {
  const end = `-----END ${label}-----`;
  const at = text.indexOf(end, from);
  if (at < 0) return true;
  const after = at + end.length;
  const eol = text.indexOf('\n', after);
  return text.slice(after, eol < 0 ? text.length : eol).trim() === '';
}

export const pemDetector = defineDetector({
  meta: {
    id: 'pem',
    version: '1.6.0',
    title: 'PEM keys and certificates',
    formats: [
      {
        id: 'pem-key-encrypted',
        name: 'Encrypted private key (PEM)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pem', 'key', 'p8', 'pk8'],
      },
      {
        id: 'openssh-key-encrypted',
        name: 'OpenSSH private key, passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'pem-key',
        name: 'Private key in clear (PEM)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['pem', 'key'],
      },
      { id: 'openssh-key', name: 'OpenSSH private key in clear', status: 'analysable', how: 'header-field' },
      {
        id: 'putty-key-encrypted',
        name: 'PuTTY private key (.ppk), passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['ppk'],
      },
      {
        id: 'putty-key',
        name: 'PuTTY private key (.ppk) in clear',
        status: 'analysable',
        how: 'header-field',
        extensions: ['ppk'],
      },
      {
        id: 'minisign-key-encrypted',
        name: 'minisign/signify secret key, passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['key', 'sec'],
      },
      {
        id: 'minisign-key',
        name: 'minisign/signify secret key in clear',
        status: 'analysable',
        how: 'header-field',
        extensions: ['key', 'sec'],
      },
      {
        id: 'ssh2-private-key-encrypted',
        name: 'SSH.com (SECSH) private key, passphrase-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['key', 'prv'],
      },
      {
        id: 'ssh2-private-key',
        name: 'SSH.com (SECSH) private key in clear',
        status: 'analysable',
        how: 'header-field',
        extensions: ['key', 'prv'],
      },
      {
        id: 'tpm2-wrapped-key',
        name: 'TPM2-wrapped private key or sealed secret (TSS2 PEM)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pem', 'key', 'tss'],
      },
      {
        id: 'megolm-key-export',
        name: 'Matrix end-to-end room key export (Megolm session data)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['txt'],
      },
      {
        id: 'pkcs12-pem',
        name: 'PKCS#12 key store (PEM)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['pem', 'p12'],
      },
      {
        id: 'pem-cert',
        name: 'Certificate or public key (PEM)',
        status: 'analysable',
        how: 'signature',
        extensions: ['pem', 'crt', 'cer', 'pub', 'csr'],
      },
      {
        id: 'ssh-signature',
        name: 'OpenSSH signature (sshsig)',
        status: 'analysable',
        how: 'signature',
        extensions: ['sig'],
      },
    ],
  },
  priority: 30,
  signatures: [
    { offset: 0, ascii: 'PuTTY-User-Key-File-' },
    { offset: 0, ascii: 'untrusted comment: ' },
    { offset: 0, ascii: SSHCOM_BEGIN, within: 64 },
    { offset: 0, ascii: '-----BEGIN ', within: 1013 }, // a block that begins in the first KiB
    { offset: 0, ascii: '-----BEGIN ', within: 16373 }, // or later in the head, when one ends the file
  ],
  detect(probe): Detection | undefined {
    // Text detectors judge text followed by NUL padding on the text alone (textInfo); the answer says so.
    return notingZeroPadding(judgePemProbe(probe), textInfo(probe.head));
  },
});

function judgePemProbe(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (ascii(h, 0, 20) === 'PuTTY-User-Key-File-') return puttyKey(ascii(h, 0, 2048));
  if (ascii(h, 0, 19) === 'untrusted comment: ') return minisignKey(ascii(h, 0, 1024));
  const sshcom = ascii(h, 0, 64 + SSHCOM_BEGIN.length).indexOf(SSHCOM_BEGIN);
  if (sshcom >= 0) return sshcomKey(ascii(h, sshcom, 16384));
  // A block after more than a KiB of text (`openssl req -text` and `openssl asn1parse` print their dump
  // first) counts when a block ends the file: text that merely quotes one goes on after it.
  const late = !ascii(h, 0, 1024).includes('-----BEGIN ');
  if (late && !endsWithBlock(probe)) return undefined;
  const text = textInfo(h)?.text;
  const m = text ? BEGIN.exec(text) : null;
  if (!text || !m) return undefined;
  const label = m[1]!;
  if (!endsOwnLine(text, label, m.index + m[0].length)) return undefined;
  // An encrypted key late in a long text (an example in a manual) must be the bulk of the file to decide it.
  const locks = /ENCRYPTED|TSS2/.test(label) || /^Proc-Type: 4,ENCRYPTED/m.test(text.slice(m.index, m.index + 600));
  if (late && locks && m.index > probe.size / 2) return undefined;
  const first = judgeBlock(text, m);
  if (!first || first.status === 'encrypted') return first;
  // Later blocks (a certificate and then its key, as servers keep them in one file): an encrypted key among
  // them makes the file encrypted, as one encrypted member does an archive (the corpus's rule 1).
  const later = new RegExp(BEGIN.source, 'g');
  later.lastIndex = m.index + m[0].length;
  for (let n = 2, b = later.exec(text); b && n <= 16; n++, b = later.exec(text)) {
    if (!endsOwnLine(text, b[1]!, b.index + b[0].length)) continue;
    const v = judgeBlock(text, b);
    if (v?.status !== 'encrypted') continue;
    const reason = {
      code: 'PEM_LATER_BLOCK_ENCRYPTED',
      message: `The file's first PEM block is ${first.format.id}; block ${n} ("${b[1]}") is encrypted.`,
      figures: { block: n },
    };
    return { ...v, reasons: [...v.reasons, reason] };
  }
  return first;
}

/** "Name: value" armor header lines, a value continued on the next line after a backslash, then a blank line. */
const ARMOR_HEADERS = /^\r?\n?(?:[\x21-\x39\x3b-\x7e]{1,64}: (?:[^\r\n]*\\\r?\n)*[^\r\n]*\r?\n)+\r?\n/;

/**
 * A block's body without RFC 4716-style headers before the base64 ("Comment: ..."), as Erlang/OTP's ssh_file
 * reads and writes them in OpenSSH private keys too (its decode_pem_keys joins "\\\n" continuations and
 * takes the headers as attributes); OpenSSH writes none, so without this such a key was unread text.
 */
function withoutArmorHeaders(body: string): string {
  return body.replace(ARMOR_HEADERS, '\n');
}

/** The verdict on one PEM block whose BEGIN line `m` matched in `text`. */
function judgeBlock(text: string, m: RegExpExecArray): Detection | undefined {
  const label = m[1]!;
  if (label === 'ENCRYPTED PRIVATE KEY') {
    return locked({
      id: 'pem-key-encrypted',
      name: 'Encrypted private key (PEM)',
      confidence: 0.97,
      code: 'PEM_PKCS8_ENCRYPTED',
      message: 'PEM block "ENCRYPTED PRIVATE KEY": a PKCS#8 private key encrypted with a password (PBES2 or PBES1).',
      scheme: 'pkcs8-pbe',
      keyHint: { description: 'The private key password.', kind: 'password', present: 'unknown' },
    });
  }
  if (label === 'TSS2 PRIVATE KEY' || label === 'TSS2 KEY BLOB') return tss2Key(text, label, m.index + m[0].length);
  if (label === 'MEGOLM SESSION DATA') return megolmExport(text, m.index + m[0].length);
  if (label === 'PKCS12') return pkcs12Block(text, m.index + m[0].length);
  if (label.endsWith('PRIVATE KEY') && label !== 'OPENSSH PRIVATE KEY') {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 512);
    const dek = /^DEK-Info: ([A-Z0-9-]+)/m.exec(rest)?.[1];
    if (/^Proc-Type: 4,ENCRYPTED/m.test(rest)) {
      return locked({
        id: 'pem-key-encrypted',
        name: 'Encrypted private key (PEM)',
        confidence: 0.97,
        code: 'PEM_PROC_TYPE_ENCRYPTED',
        message: `PEM "${label}" with "Proc-Type: 4,ENCRYPTED"${dek ? ` and DEK-Info ${dek}` : ''}: the key needs its password.`,
        figures: { label, cipher: dek ?? 'unknown' },
        scheme: `pem-${(dek ?? 'unknown').toLowerCase()}`,
        keyHint: { description: 'The private key password.', kind: 'password', present: 'unknown' },
      });
    }
    return plain('analysable', {
      id: 'pem-key',
      name: 'Private key in clear (PEM)',
      confidence: 0.93,
      code: 'PEM_PRIVATE_KEY_CLEAR',
      message: `PEM "${label}" with no encryption header: key material in clear.`,
      figures: { label },
    });
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    const body = withoutArmorHeaders(text.slice(m.index + m[0].length).split('-----END')[0]!).replace(/\s+/g, '');
    const raw = fromBase64(body.slice(0, 256));
    if (!raw || ascii(raw, 0, 15) !== 'openssh-key-v1\0') return undefined;
    const cipherLength = raw.readUInt32BE(15);
    const cipher = ascii(raw, 19, 19 + Math.min(cipherLength, 64));
    if (cipher === 'none') {
      return plain('analysable', {
        id: 'openssh-key',
        name: 'OpenSSH private key in clear',
        confidence: 0.95,
        code: 'OPENSSH_KEY_CLEAR',
        message: 'OpenSSH private key with cipher "none": key material in clear.',
      });
    }
    return locked({
      id: 'openssh-key-encrypted',
      name: 'OpenSSH private key, passphrase-protected',
      confidence: 0.97,
      code: 'OPENSSH_KEY_ENCRYPTED',
      message: `OpenSSH private key encrypted with ${cipher} (bcrypt KDF): it needs its passphrase.`,
      figures: { cipher },
      scheme: `openssh-${cipher}`,
      keyHint: { description: 'The SSH key passphrase.', kind: 'password', present: 'unknown' },
    });
  }
  // `ssh-keygen -Y sign` output (PROTOCOL.sshsig) starts with its armor; a document quoting one is text.
  if (label === 'SSH SIGNATURE' && text.slice(0, m.index).trim() === '') {
    return plain('analysable', {
      id: 'ssh-signature',
      name: 'OpenSSH signature (sshsig)',
      confidence: 0.93,
      code: 'SSH_SIGNATURE',
      message: 'PEM "SSH SIGNATURE" block (ssh-keygen -Y sign): a signature over a file, readable.',
    });
  }
  if (PUBLIC_LABELS.has(label)) {
    return plain('analysable', {
      id: 'pem-cert',
      name: 'Certificate or public key (PEM)',
      confidence: 0.9,
      code: 'PEM_PUBLIC_MATERIAL',
      message: `PEM "${label}": public material, readable.`,
      figures: { label },
    });
  }
  return undefined;
}

/** DER of a PFX's start: SEQUENCE, INTEGER 3, then the authSafe ContentInfo SEQUENCE whose OID is id-data. */
const ID_DATA = '06092a864886f70d010701';

/**
 * A PKCS#12 store in a PEM block labelled "PKCS12", as Haskell's cryptostore (`writePKCS12FileToPEM`) and
 * some Java and Go tools write it (RFC 7468 names no label for it): the body must decode to a PFX (version 3,
 * id-data content). Its keys are shrouded and its certificate bags encrypted under the store's password, as
 * in a .p12 file; the empty password is not tried here.
 */
function pkcs12Block(text: string, from: number): Detection | undefined {
  const body = text.slice(from).split('-----END')[0]!.replace(/\s+/g, '');
  const der = fromBase64(body.slice(0, 64));
  if (!der) return undefined;
  const outer = derTlv(der, 0, true);
  const version = outer?.tag === 0x30 ? derTlv(der, outer.start, true) : undefined;
  if (!version || version.tag !== 0x02 || version.end - version.start !== 1 || der[version.start] !== 3)
    return undefined;
  const content = derTlv(der, version.end, true);
  if (content?.tag !== 0x30 || hexOf(der, content.start, content.start + 11) !== ID_DATA) return undefined;
  return locked({
    id: 'pkcs12-pem',
    name: 'PKCS#12 key store (PEM)',
    confidence: 0.85,
    code: 'PEM_PKCS12',
    message:
      'PEM block "PKCS12" whose body is a PFX (version 3, id-data content): a PKCS#12 key store whose keys and certificates are normally password-protected.',
    scheme: 'pkcs12',
    keyHint: { description: 'The PKCS#12 import/export password.', kind: 'password', present: 'unknown' },
  });
}

/** Bytes before the ciphertext of a Megolm key export: version, salt, IV, round count. */
const MEGOLM_HEADER_BYTES = 1 + 16 + 16 + 4;
const MEGOLM_HMAC_BYTES = 32;

/**
 * A Matrix client's export of its end-to-end room keys (Element: "Export E2E room keys"), as the Matrix
 * specification's key export format writes it: base64 of a version byte (1), a 16-byte salt, a 16-byte IV,
 * a big-endian u32 PBKDF2-HMAC-SHA-512 round count, the AES-256-CTR ciphertext of the sessions' JSON and an
 * HMAC-SHA-256 over all of it. Reference: Matrix client-server API, "Key export format"
 * (spec.matrix.org); fixture by matrix-nio's key_export.
 */
function megolmExport(text: string, from: number): Detection | undefined {
  const body = text.slice(from).split('-----END')[0]!.replace(/\s+/g, '');
  // Base64 of the header: 37 bytes take 52 characters (a multiple of 4 for the decoder).
  const head = fromBase64(body.slice(0, 52));
  const bytes = Math.floor(((body.length - trailingRunLength(body, '=')) * 3) / 4);
  if (!head || head.length < MEGOLM_HEADER_BYTES || head[0] !== 1) return undefined;
  const rounds = head.readUInt32BE(33);
  if (rounds < 1 || bytes <= MEGOLM_HEADER_BYTES + MEGOLM_HMAC_BYTES) return undefined;
  const ciphertextBytes = bytes - MEGOLM_HEADER_BYTES - MEGOLM_HMAC_BYTES;
  return locked({
    id: 'megolm-key-export',
    name: 'Matrix end-to-end room key export (Megolm session data)',
    confidence: 0.95,
    code: 'MEGOLM_KEY_EXPORT',
    message: `"MEGOLM SESSION DATA" armor: a Matrix room-key export, version 1, PBKDF2-HMAC-SHA-512 with ${rounds} rounds, about ${ciphertextBytes} bytes of AES-256-CTR ciphertext and an HMAC-SHA-256 (the room keys that decrypt the user's end-to-end encrypted messages).`,
    figures: { version: 1, rounds, ciphertextBytes },
    scheme: 'megolm-export-aes256ctr-pbkdf2-sha512',
    keyHint: {
      description:
        'The passphrase chosen when the room keys were exported from the Matrix client (Element: Security & Privacy → Export E2E room keys).',
      kind: 'password',
      present: 'unknown',
    },
  });
}

/** The file's last line is a PEM END boundary (white space and NUL padding after it aside). */
function endsWithBlock(probe: { head: Uint8Array; tail: Uint8Array; complete: boolean }): boolean {
  const last = probe.complete ? probe.head : probe.tail;
  // NULs after the block are padding (slack, pre-allocated space), as whitespace is.
  let end = last.length;
  while (end > 0 && last[end - 1] === 0) end--;
  return /-----END [!-,.-~]+(?: [!-,.-~]+)*-----$/.test(ascii(last, Math.max(0, end - 256), end).trimEnd());
}

/** An SSH.com private key: header lines ("Comment:", continued with a backslash), then a base64 blob. */
function sshcomKey(text: string): Detection | undefined {
  const lines = text.split(/\r?\n/).slice(1);
  let i = 0;
  // Header lines: "Tag: value", a trailing backslash continuing the value on the next line.
  while (i < lines.length && /^[A-Za-z-]+: /.test(lines[i]!)) while (lines[i++]!.endsWith('\\') && i < lines.length);
  const body: string[] = [];
  for (; i < lines.length && !lines[i]!.startsWith('---- END'); i++) body.push(lines[i]!.trim());
  const blob = fromBase64(body.join(''));
  if (!blob || blob.length < 16 || blob.readUInt32BE(0) !== SSHCOM_MAGIC) return undefined;
  const string = (at: number): [string, number] | undefined => {
    const n = at + 4 <= blob.length ? blob.readUInt32BE(at) : -1;
    return n >= 0 && n <= 256 && at + 4 + n <= blob.length ? [ascii(blob, at + 4, at + 4 + n), at + 4 + n] : undefined;
  };
  const keyType = string(8);
  const cipher = keyType && string(keyType[1]);
  if (!keyType || !cipher || !/^[\x21-\x7e]+$/.test(cipher[0])) return undefined;
  const figures = { keyType: keyType[0], cipher: cipher[0] };
  if (cipher[0] === 'none') {
    return plain('analysable', {
      id: 'ssh2-private-key',
      name: 'SSH.com (SECSH) private key in clear',
      confidence: 0.95,
      code: 'SSHCOM_KEY_CLEAR',
      message: `SSH.com private key (${keyType[0]}) whose blob names the cipher "none": the key is in clear (the "ENCRYPTED" in its header line is part of the format's name).`,
      figures,
    });
  }
  return locked({
    id: 'ssh2-private-key-encrypted',
    name: 'SSH.com (SECSH) private key, passphrase-protected',
    confidence: 0.96,
    code: 'SSHCOM_KEY_ENCRYPTED',
    message: `SSH.com private key (${keyType[0]}) encrypted with ${cipher[0]}: the key needs its passphrase.`,
    figures,
    scheme: `sshcom-${cipher[0]}`,
    keyHint: { description: 'The private key passphrase.', kind: 'password', present: 'unknown' },
  });
}

/** A PuTTY .ppk key: the "Encryption:" line says whether the private part needs a passphrase. */
function puttyKey(text: string): Detection | undefined {
  const head = /^PuTTY-User-Key-File-(\d+): (\S+)\r?\n/.exec(text);
  const encryption = /^Encryption: (\S+)\r?$/m.exec(text)?.[1];
  if (!head || !encryption) return undefined;
  const [, version, algorithm] = head;
  const kdf = /^Key-Derivation: (\S+)\r?$/m.exec(text)?.[1];
  const figures = { version: Number(version), algorithm: algorithm!, encryption };
  if (encryption === 'none') {
    return plain('analysable', {
      id: 'putty-key',
      name: 'PuTTY private key (.ppk) in clear',
      confidence: 0.96,
      code: 'PUTTY_KEY_CLEAR',
      message: `PuTTY key file version ${version} (${algorithm}) with "Encryption: none": the private key is in clear.`,
      figures,
    });
  }
  return locked({
    id: 'putty-key-encrypted',
    name: 'PuTTY private key (.ppk), passphrase-protected',
    confidence: 0.97,
    code: 'PUTTY_KEY_ENCRYPTED',
    message: `PuTTY key file version ${version} (${algorithm}) with "Encryption: ${encryption}"${kdf ? ` and key derivation ${kdf}` : ''}: the private lines need the passphrase.`,
    figures,
    scheme: `putty-ppk${version}-${encryption}`,
    keyHint: { description: 'The PuTTY key passphrase.', kind: 'password', present: 'unknown' },
  });
}

/** A minisign or signify secret key: the KDF field says whether a passphrase protects it. */
function minisignKey(text: string): Detection | undefined {
  const lines = text.split(/\r?\n/);
  const raw = fromBase64(lines[1] ?? '');
  if (!raw || raw.length < 48 || ascii(raw, 0, 2) !== 'Ed') return undefined;
  const kdf = ascii(raw, 2, 4);
  const tool = kdf === 'BK' ? 'signify' : 'minisign';
  const rounds = kdf === 'BK' ? raw.readUInt32BE(4) : 0;
  const encrypted = kdf === 'Sc' || (kdf === 'BK' && rounds > 0);
  if (kdf !== 'Sc' && kdf !== 'BK' && kdf !== '\0\0') return undefined;
  if (!encrypted) {
    return plain('analysable', {
      id: 'minisign-key',
      name: 'minisign/signify secret key in clear',
      confidence: 0.95,
      code: 'MINISIGN_KEY_CLEAR',
      message: `${tool} secret key with no key derivation (${kdf === 'BK' ? '0 bcrypt rounds' : 'KDF none'}): the signing key is in clear.`,
      figures: { tool },
    });
  }
  return locked({
    id: 'minisign-key-encrypted',
    name: 'minisign/signify secret key, passphrase-protected',
    confidence: 0.96,
    code: 'MINISIGN_KEY_ENCRYPTED',
    message: `${tool} secret key protected with ${kdf === 'Sc' ? 'scrypt' : `bcrypt_pbkdf (${rounds} rounds)`}: the signing key needs its passphrase.`,
    figures: { tool, kdf: kdf === 'Sc' ? 'scrypt' : 'bcrypt' },
    scheme: `${tool}-${kdf === 'Sc' ? 'scrypt' : 'bcrypt'}`,
    keyHint: { description: `The ${tool} key passphrase.`, kind: 'password', present: 'unknown' },
  });
}

// TPMKey types (the TCG OID arc 2.23.133.10.1): what the private part is.
const TSS2_TYPES: Record<string, string> = {
  '6781050a0103': 'loadable key',
  '6781050a0104': "importable key (wrapped to the parent's public key)",
  '6781050a0105': 'sealed data',
};

/** A TSS2 PEM key: the TPMKey SEQUENCE must start with one of the TCG's key-type OIDs. */
function tss2Key(text: string, label: string, from: number): Detection | undefined {
  const body = text.slice(from).split('-----END')[0]!.replace(/\s+/g, '');
  const der = fromBase64(body.slice(0, 64));
  const seq = der ? derTlv(der, 0, true) : undefined;
  const oid = der && seq?.tag === 0x30 ? derTlv(der, seq.start, true) : undefined;
  if (!der || !oid || oid.tag !== 0x06) return undefined;
  const type = TSS2_TYPES[hexOf(der, oid.start, oid.end)];
  if (!type) return undefined;
  // emptyAuth [0] EXPLICIT BOOLEAN TRUE: no auth value; absent or FALSE: the key has its own password too.
  const next = derTlv(der, oid.end, true);
  const emptyAuth = next?.tag === 0xa0 && der[next.start] === 0x01 && der[next.start + 2] !== 0;
  return locked({
    id: 'tpm2-wrapped-key',
    name: 'TPM2-wrapped private key or sealed secret (TSS2 PEM)',
    confidence: 0.96,
    code: 'TSS2_WRAPPED_KEY',
    message: `PEM "${label}", TPMKey type ${type}${emptyAuth ? ', emptyAuth' : ', with an auth value'}: the private part is encrypted under its parent key, which the TPM derives from its storage seed and never exports; only that TPM can load it.`,
    figures: { label, type, emptyAuth },
    scheme: 'tpm2-wrapped',
    keyHint: {
      description: `The TPM of the machine that made it (its storage hierarchy's parent key)${emptyAuth ? '' : ", and the key's auth password"}: not in any file.`,
      kind: 'hardware',
      present: 'no',
    },
  });
}
