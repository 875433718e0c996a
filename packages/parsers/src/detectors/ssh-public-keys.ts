/**
 * OpenSSH public keys and certificates in their one-line text form (`id_ed25519.pub`, `*-cert.pub`), the files
 * that list them (`authorized_keys` with options before a key, `known_hosts` with host patterns before it,
 * `allowed_signers` with principals and `namespaces=` before it), and
 * RFC 4716's SECSH public key file ("---- BEGIN SSH2 PUBLIC KEY ----"). All are public material, readable; a
 * line counts only when its base64 blob decodes and starts with the key type the line names (the wire format
 * repeats it), so prose that mentions "ssh-rsa AAAA" is not taken.
 * References: OpenSSH sshd(8) "AUTHORIZED_KEYS FILE FORMAT" and "SSH_KNOWN_HOSTS FILE FORMAT";
 * PROTOCOL.certkeys (the "-cert-v01@openssh.com" types); RFC 4253 §6.6 (public key blobs); RFC 4716.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, fromBase64, plain, textInfo } from './util.js';

/** Key types OpenSSH writes (ssh-keygen -Q key), plus their certificate forms. */
const KEY_TYPE =
  /^(?:ssh-(?:rsa|dss|ed25519|ed448|xmss@openssh\.com)|ecdsa-sha2-nistp(?:256|384|521)|sk-ecdsa-sha2-nistp256@openssh\.com|sk-ssh-ed25519@openssh\.com|(?:ssh-(?:rsa|dss|ed25519|xmss)|ecdsa-sha2-nistp(?:256|384|521)|sk-ecdsa-sha2-nistp256|sk-ssh-ed25519)-cert-v01@openssh\.com)$/;
const SECSH_BEGIN = '---- BEGIN SSH2 PUBLIC KEY ----';
/** authorized_keys options (sshd(8)); anything else before a key is a known_hosts host pattern. */
const OPTION =
  /^(?:no-|permit|restrict|cert-authority|command=|environment=|from=|principals=|tunnel=|expiry-time=|verify-required|touch-required|agent-forwarding|port-forwarding|pty|user-rc|x11-forwarding)/i;

interface KeyLine {
  type: string;
  prefix: string;
}

/** One key line: [prefix] type base64 [comment], the blob starting with the same type string. */
function keyLine(line: string): KeyLine | undefined {
  const words = line.trim().split(/[ \t]+/);
  for (let i = 0; i < Math.min(words.length - 1, 4); i++) {
    const type = words[i]!;
    if (!KEY_TYPE.test(type)) continue;
    const blob = fromBase64(words[i + 1]!.slice(0, 96));
    if (!blob || blob.length < 4 + type.length) return undefined;
    const n = blob.readUInt32BE(0);
    if (n !== type.length || ascii(blob, 4, 4 + n) !== type) return undefined;
    return { type, prefix: words.slice(0, i).join(' ') };
  }
  return undefined;
}

const FORMATS = {
  key: { id: 'ssh-public-key', name: 'OpenSSH public key' },
  cert: { id: 'ssh-certificate', name: 'OpenSSH certificate' },
  authorized: { id: 'ssh-authorized-keys', name: 'OpenSSH authorized_keys list' },
  known: { id: 'ssh-known-hosts', name: 'OpenSSH known_hosts list' },
  signers: { id: 'ssh-allowed-signers', name: 'OpenSSH allowed_signers list' },
} as const;
/**
 * ssh-keygen(1) "ALLOWED SIGNERS": principals (user@domain, which no host pattern is), then options of which
 * these are the signers file's own.
 */
const SIGNER = /^[^@\s]+@|(?:^|[ ,])(?:namespaces|valid-after|valid-before)=/;

export const sshPublicKeysDetector = defineDetector({
  meta: {
    id: 'ssh-public-keys',
    version: '1.0.0',
    title: 'OpenSSH public keys, certificates, authorized_keys and known_hosts',
    formats: [
      { ...FORMATS.key, status: 'analysable', how: 'structure', extensions: ['pub'] },
      { ...FORMATS.cert, status: 'analysable', how: 'structure', extensions: ['pub', 'cert'] },
      { ...FORMATS.authorized, status: 'analysable', how: 'structure' },
      { ...FORMATS.known, status: 'analysable', how: 'structure' },
      { ...FORMATS.signers, status: 'analysable', how: 'structure' },
    ],
  },
  minSize: 40,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const start = ascii(h, 0, 2048);
    // Every blob starts with a 32-bit length below 2^24: its base64 starts "AAAA".
    if (!start.includes(' AAAA') && !start.startsWith(SECSH_BEGIN)) return undefined;
    const text = textInfo(h)?.text;
    if (!text) return undefined;
    if (text.startsWith(SECSH_BEGIN)) return secsh(text);
    const lines = text.split(/\r?\n/);
    if (!probe.complete) lines.pop(); // the head may end inside a line
    const keys: KeyLine[] = [];
    for (const line of lines) {
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      const k = keyLine(line);
      if (!k) return undefined; // every line is a key line, or the file is something else
      keys.push(k);
      if (keys.length >= 256) break;
    }
    if (keys.length === 0) return undefined;
    const first = keys[0]!;
    const certs = keys.filter((k) => k.type.endsWith('-cert-v01@openssh.com')).length;
    const prefixed = keys.filter((k) => k.prefix !== '');
    const format =
      keys.length === 1 && first.prefix === ''
        ? certs
          ? FORMATS.cert
          : FORMATS.key
        : prefixed.some((k) => SIGNER.test(k.prefix))
          ? FORMATS.signers
          : prefixed.some((k) => !OPTION.test(k.prefix))
            ? FORMATS.known
            : keys.length === 1 && certs
              ? FORMATS.cert
              : FORMATS.authorized;
    return plain('analysable', {
      ...format,
      confidence: 0.95,
      code: 'SSH_PUBLIC_KEY_LINES',
      message:
        keys.length === 1
          ? `One OpenSSH ${certs ? 'certificate' : 'public key'} line (${first.type}) whose blob names the same type: public material, readable.`
          : `${keys.length}${probe.complete ? '' : '+'} OpenSSH public key lines (${[...new Set(keys.map((k) => k.type))].slice(0, 4).join(', ')})${prefixed.length ? `, ${prefixed.length} with ${format === FORMATS.authorized ? 'options' : 'host patterns or principals'} before the key` : ''}: public material, readable.`,
      figures: { keys: keys.length, certificates: certs, type: first.type },
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
