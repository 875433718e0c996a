/**
 * OpenSSH public keys and certificates in their one-line text form (`id_ed25519.pub`, `*-cert.pub`, what
 * ssh-keygen writes) and RFC 4716's SECSH public key file ("---- BEGIN SSH2 PUBLIC KEY ----"): public
 * material, readable. The line counts only when its base64 blob decodes and starts with the key type the line
 * names (the wire format repeats it), so prose that mentions "ssh-rsa AAAA" is not taken. Files that list
 * keys behind host patterns or options (`known_hosts`, `authorized_keys`, `allowed_signers`) stay text, as
 * the shared corpus labels them.
 * References: OpenSSH PROTOCOL.certkeys (the "-cert-v01@openssh.com" types); RFC 4253 §6.6 (public key
 * blobs); RFC 4716.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, fromBase64, plain, textInfo } from './util.js';

/** Key types OpenSSH writes (ssh-keygen -Q key), plus their certificate forms. */
const KEY_TYPE =
  /^(?:ssh-(?:rsa|dss|ed25519|ed448|xmss@openssh\.com)|ecdsa-sha2-nistp(?:256|384|521)|sk-ecdsa-sha2-nistp256@openssh\.com|sk-ssh-ed25519@openssh\.com|(?:ssh-(?:rsa|dss|ed25519|xmss)|ecdsa-sha2-nistp(?:256|384|521)|sk-ecdsa-sha2-nistp256|sk-ssh-ed25519)-cert-v01@openssh\.com)$/;
const SECSH_BEGIN = '---- BEGIN SSH2 PUBLIC KEY ----';
const SECSH_BYTES = Buffer.from(SECSH_BEGIN, 'latin1');
const BLOB_START = Buffer.from(' AAAA', 'latin1');
/** `type base64 [comment]`, the blob starting with the same type string; the type, or undefined. */
function keyLine(line: string): string | undefined {
  const [type, blob64] = line.trim().split(/[ \t]+/);
  if (!type || !blob64 || !KEY_TYPE.test(type)) return undefined;
  const blob = fromBase64(blob64.slice(0, 96));
  if (!blob || blob.length < 4 + type.length) return undefined;
  return blob.readUInt32BE(0) === type.length && ascii(blob, 4, 4 + type.length) === type ? type : undefined;
}

const FORMATS = {
  key: { id: 'ssh-public-key', name: 'OpenSSH public key' },
  cert: { id: 'ssh-certificate', name: 'OpenSSH certificate' },
} as const;

export const sshPublicKeysDetector = defineDetector({
  meta: {
    id: 'ssh-public-keys',
    version: '1.0.0',
    title: 'OpenSSH public keys and certificates (.pub, RFC 4716)',
    formats: [
      { ...FORMATS.key, status: 'analysable', how: 'structure', extensions: ['pub'] },
      { ...FORMATS.cert, status: 'analysable', how: 'structure', extensions: ['pub', 'cert'] },
    ],
  },
  minSize: 40,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    // Keys are short: the whole file is in the head. Every blob starts with a 32-bit length below 2^24, so
    // its base64 starts "AAAA" (a byte search, no decoding).
    if (!probe.complete) return undefined;
    const start = Buffer.from(h.buffer, h.byteOffset, Math.min(h.length, 2048));
    if (start.indexOf(BLOB_START) < 0 && !start.subarray(0, SECSH_BEGIN.length).equals(SECSH_BYTES)) return undefined;
    const text = textInfo(h)?.text;
    if (!text) return undefined;
    if (text.startsWith(SECSH_BEGIN)) return secsh(text);
    // One key line; comment and blank lines around it are allowed.
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    const type = lines.length === 1 ? keyLine(lines[0]!) : undefined;
    if (!type) return undefined;
    const cert = type.endsWith('-cert-v01@openssh.com');
    return plain('analysable', {
      ...(cert ? FORMATS.cert : FORMATS.key),
      confidence: 0.95,
      code: 'SSH_PUBLIC_KEY_LINE',
      message: `One OpenSSH ${cert ? 'certificate' : 'public key'} line (${type}) whose blob names the same type: public material, readable.`,
      figures: { type },
    });
  },
});

/** RFC 4716: header lines ("Comment:", continued with a backslash), then the blob, then the END line. */
function secsh(text: string): Detection | undefined {
  const lines = text.split(/\r?\n/).slice(1);
  let i = 0;
  while (i < lines.length && /^[A-Za-z-]+: /.test(lines[i]!)) while (lines[i++]!.endsWith('\\') && i < lines.length);
  const body: string[] = [];
  for (; i < lines.length && !lines[i]!.startsWith('---- END SSH2 PUBLIC KEY ----'); i++) body.push(lines[i]!.trim());
  const blob = fromBase64(body.join('').slice(0, 96));
  const n = blob && blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob && n > 0 && n < 64 ? ascii(blob, 4, 4 + n) : '';
  if (!KEY_TYPE.test(type)) return undefined;
  return plain('analysable', {
    ...FORMATS.key,
    confidence: 0.95,
    code: 'SSH_PUBLIC_KEY_SECSH',
    message: `RFC 4716 SECSH public key file holding a ${type} key: public material, readable.`,
    figures: { type },
  });
}
