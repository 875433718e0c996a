/**
 * Makeself self-extracting archives (`.run`, `.sh`, `.bin`: Linux driver and
 * SDK installers): a shell script of about 700 lines, then the archive it
 * unpacks (a tar, compressed, or encrypted with OpenSSL or GnuPG). The script
 * is text, so libmagic and the text detector see a shell script and never the
 * payload behind it, which lies beyond the probe's head. The header names
 * what the payload is: the script's `filesizes` gives its length, and makeself
 * writes the packing into the script (`echo Compression: gzip`; for
 * `--ssl-encrypt`, `decrypt_cmd="openssl enc -aes-256-cbc -d …"`; for
 * `--gpg-encrypt` and `--gpg-asymmetric-encrypt-sign`, compression `gpg` and
 * `gpg-asymmetric`).
 * Bytes after the archive (where the script's `skip` lines end, plus
 * `filesizes`) are set aside and named: a line end a copy added, slack, a
 * carve that ran on; an archive cut short (the sizes past the end) is refused.
 * Reference: makeself.sh and makeself-header.sh (megastep/makeself 2.4.5);
 * fixtures made by Debian's makeself 2.4.5 (fixtures/makeself/generate.sh).
 */
import { ascii, defineDetector, type Detection, type KeyHint, type Probe } from '@evtriage/core/contract';
import { afterStructureEnd, endOfFile, locked, notingZeroPadding, plain, probeBytes } from './util.js';

/** The generator's comment: on the second line of every makeself header. */
const BANNER = /^#![^\n]{1,64}\n# This script was generated using Makeself (\d+\.\d+(?:\.\d+)?)/;
/** The script is a few hundred lines; a payload is what follows it. */
const MIN_SCRIPT_BYTES = 4096;
const MAX_SCRIPT_BYTES = 256 * 1024;
/** makeself-header.sh's last line, once in the script: where the archive starts when the head stops short of it. */
const LAST_LINE = Buffer.from('\neval $finish; exit $res\n', 'latin1');
/** The script's last line (`eval $finish; exit $res`) fits in this many bytes. */
const SCRIPT_END_BYTES = 32;

interface Packing {
  compression: string | undefined;
  decrypt: string | undefined;
  payloadBytes: number;
  /** Where the archive ends: the script's end plus `filesizes`. */
  end: number;
}

/** A `name="value"` assignment at the start of a line of the script. */
function assignment(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}="([^"\\n]*)"`, 'm').exec(text);
  return m?.[1];
}

/** How many of the first `n` lines the text holds, and the offset after the last of them. */
function lineEnd(text: string, n: number): [number, number] {
  let at = 0;
  let lines = 0;
  for (; lines < n; lines++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return [lines, at];
}

function packing(probe: Probe, text: string): Packing | undefined {
  const size = probe.size;
  const sizes = assignment(text, 'filesizes');
  if (sizes === undefined || !/^\d+( \d+)*$/.test(sizes.trim())) return undefined;
  const payloadBytes = sizes
    .trim()
    .split(' ')
    .reduce((sum, n) => sum + Number(n), 0);
  if (payloadBytes <= 0) return undefined;
  // Where the archive starts: after the script's first `skip` lines (makeself 2.4: `offset=\`head -n "$skip" "$0" | wc -c\``).
  // With all of them in the head, the archive starts there and must fit in the file (bytes after it are set aside);
  // else it fills the file's end and starts beyond the head's lines.
  let script = size - payloadBytes;
  const skip = Number(assignment(text, 'skip') ?? NaN);
  if (Number.isInteger(skip) && skip > 0) {
    const [lines, end] = lineEnd(text, skip);
    if (lines === skip) {
      if (end > script) return undefined;
      script = end;
    } else {
      // The script runs past the head: its last line, found in the file's last bytes, ends it (bytes after the
      // archive set aside); without it, the archive fills the file's end.
      const last = endOfFile(probe);
      const found = Buffer.from(last.bytes.buffer, last.bytes.byteOffset, last.bytes.length).indexOf(LAST_LINE);
      const after = found < 0 ? -1 : last.at + found + LAST_LINE.length;
      if (after >= end && after <= script) script = after;
      else if (script < end) return undefined;
    }
  }
  // The archive's bytes must fit behind a script of plausible length.
  if (script < MIN_SCRIPT_BYTES || script > MAX_SCRIPT_BYTES) return undefined;
  // Where the bytes before the archive are in a window (a small archive: the tail), they end the script: `exit $res`.
  const before = probeBytes(probe, script - SCRIPT_END_BYTES, SCRIPT_END_BYTES);
  if (before !== undefined && !/exit[^\n]*\n$/.test(ascii(before))) return undefined;
  const compression = /^\s*echo Compression: ([\w-]+)$/m.exec(text)?.[1];
  const decrypt = assignment(text, 'decrypt_cmd') || undefined;
  return { compression, decrypt, payloadBytes, end: script + payloadBytes };
}

const PGP_KEY: KeyHint = {
  description: "The recipient's OpenPGP secret key (and its passphrase) the installer was encrypted to.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg'],
};

export const makeselfDetector = defineDetector({
  meta: {
    id: 'makeself',
    version: '1.1.0',
    title: 'Makeself self-extracting shell archives',
    formats: [
      {
        id: 'makeself',
        name: 'Makeself self-extracting archive',
        status: 'analysable',
        how: 'header-field',
        extensions: ['run', 'sh', 'bin'],
      },
      {
        id: 'makeself-encrypted',
        name: 'Makeself self-extracting archive (encrypted payload)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['run', 'sh', 'bin'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '2321' }],
  minSize: MIN_SCRIPT_BYTES,
  priority: 30,
  detect(probe): Detection | undefined {
    const version = BANNER.exec(ascii(probe.head, 0, 256))?.[1];
    if (version === undefined) return undefined;
    const p = packing(probe, ascii(probe.head));
    if (p === undefined) return undefined;
    return notingZeroPadding(found(p, version), afterStructureEnd(probe, p.end), 'the script and archive before them');
  },
});

/** The detection the script's packing gives. */
function found(p: Packing, version: string): Detection {
  const what = `Makeself ${version} self-extracting archive: a shell script, then a ${p.payloadBytes}-byte archive (the script's filesizes)`;
  const figures = { makeselfVersion: version, payloadBytes: p.payloadBytes, compression: p.compression ?? '' };
  if (p.decrypt !== undefined && /^openssl enc\b/.test(p.decrypt)) {
    const cipher = /\s-([a-z0-9]+(?:-[a-z0-9]+)+)\b/.exec(p.decrypt)?.[1];
    return locked({
      id: 'makeself-encrypted',
      name: 'Makeself self-extracting archive (encrypted payload)',
      confidence: 0.9,
      code: 'MAKESELF_OPENSSL',
      message: `${what}, which the script decrypts with \`${p.decrypt}\` before unpacking (makeself --ssl-encrypt).`,
      figures: { ...figures, decryptCommand: p.decrypt },
      scheme: `openssl-enc${cipher ? `-${cipher}` : ''}`,
      keyHint: {
        description: 'The password given to makeself --ssl-encrypt (the script asks for it when run).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  if (p.compression === 'gpg' || p.compression === 'gpg-asymmetric') {
    const asymmetric = p.compression === 'gpg-asymmetric';
    return locked({
      id: 'makeself-encrypted',
      name: 'Makeself self-extracting archive (encrypted payload)',
      confidence: 0.9,
      code: 'MAKESELF_GPG',
      message: `${what}, packed as "${p.compression}": an OpenPGP message the script decrypts with gpg before unpacking (makeself --${asymmetric ? 'gpg-asymmetric-encrypt-sign' : 'gpg-encrypt'}).`,
      figures,
      scheme: asymmetric ? 'openpgp' : 'openpgp-symmetric',
      keyHint: asymmetric
        ? PGP_KEY
        : {
            description: 'The passphrase given to gpg when makeself --gpg-encrypt packed the installer.',
            kind: 'password',
            present: 'unknown',
          },
    });
  }
  return plain('analysable', {
    id: 'makeself',
    name: 'Makeself self-extracting archive',
    confidence: 0.9,
    code: 'MAKESELF_HEADER',
    message: `${what}${p.compression ? `, compressed with ${p.compression}` : ''}; no encryption in the script (binwalk, or the script's own --noexec --target, unpacks it without running it).`,
    figures,
  });
}
