/**
 * OpenSSL `enc` output: the binary "Salted__" header followed by an 8-byte
 * salt and the ciphertext, and the same file base64-encoded (`openssl enc -a`),
 * which starts with "U2FsdGVkX1". Perl's Crypt::CBC writes the same "Salted__"
 * header, and with `-header => 'randomiv'` its legacy one: "RandomIV", an
 * 8-byte IV, then CBC ciphertext of a 64-bit block cipher (DES, Blowfish...).
 * References: OpenSSL apps/enc.c (magic "Salted__", PKCS5_SALT_LEN 8);
 * Crypt::CBC's documentation ("-header", "randomiv").
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { fromBase64, ascii, locked, passwordHint, startsWith, notingZeroPadding, textInfo } from './util.js';

const HINT = passwordHint(
  'The passphrase given to `openssl enc` (-k/-pass); the cipher and KDF (EVP_BytesToKey or -pbkdf2) are not recorded in the file.',
);

export const opensslSaltedDetector = defineDetector({
  meta: {
    id: 'openssl-salted',
    version: '1.1.0',
    title: 'OpenSSL enc output (binary and base64) and Crypt::CBC RandomIV files',
    formats: [
      {
        id: 'openssl-salted',
        name: 'OpenSSL salted ciphertext',
        status: 'encrypted',
        how: 'signature',
        extensions: ['enc', 'aes', 'bin', 'dat'],
      },
      {
        id: 'openssl-salted-base64',
        name: 'OpenSSL salted ciphertext, base64',
        status: 'encrypted',
        how: 'signature',
        extensions: ['txt', 'b64', 'enc', 'asc'],
      },
      {
        id: 'crypt-cbc-randomiv',
        name: 'Crypt::CBC ciphertext with a RandomIV header',
        status: 'encrypted',
        how: 'signature',
        extensions: ['enc', 'bin', 'dat'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'Salted__' },
    { offset: 0, ascii: 'U2FsdGVkX1' },
    { offset: 0, ascii: 'RandomIV' },
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    // Text detectors judge text followed by NUL padding on the text alone (textInfo); the answer says so.
    return notingZeroPadding(judgeOpensslSaltedProbe(probe), textInfo(probe.head));
  },
});

function judgeOpensslSaltedProbe(probe: Probe): Detection | undefined {
  const h = probe.head;
  // The 8-byte salt is random: eight printable ASCII bytes after the magic are a text that starts with the word.
  if (startsWith(h, 'Salted__') && probe.size >= 16 && !/^[\x20-\x7e]{8}$/.test(ascii(h, 8, 16))) {
    const body = probe.size - 16;
    return locked({
      id: 'openssl-salted',
      name: 'OpenSSL salted ciphertext',
      confidence: 0.95,
      code: 'OPENSSL_SALTED_MAGIC',
      message: `"Salted__" header and 8-byte salt, then ${body} bytes of ciphertext${body % 16 === 0 ? ' (a whole number of 16-byte blocks)' : ''}.`,
      figures: { ciphertextBytes: body, blockAligned: body % 16 === 0 },
      scheme: 'openssl-enc',
      keyHint: HINT,
    });
  }
  // Crypt::CBC pads to whole 8-byte blocks; a random IV is not eight printable bytes (a text about the word is).
  const body = probe.size - 16;
  if (startsWith(h, 'RandomIV') && body > 0 && body % 8 === 0 && !/^[\x20-\x7e]{8}$/.test(ascii(h, 8, 16))) {
    return locked({
      id: 'crypt-cbc-randomiv',
      name: 'Crypt::CBC ciphertext with a RandomIV header',
      confidence: 0.93,
      code: 'CRYPT_CBC_RANDOMIV',
      message: `"RandomIV" header (Perl Crypt::CBC's legacy header) and an 8-byte IV, then ${body} bytes of CBC ciphertext in 8-byte blocks (a 64-bit block cipher such as DES or Blowfish).`,
      figures: { ciphertextBytes: body },
      scheme: 'crypt-cbc-randomiv',
      keyHint: passwordHint(
        "The passphrase or key given to Crypt::CBC (the program's own); the cipher is not recorded in the file.",
      ),
    });
  }
  const text = textInfo(h.subarray(0, 4096));
  if (text && text.text.startsWith('U2FsdGVkX1')) {
    const raw = fromBase64(text.text.split(/\r?\n\r?\n/)[0]!.slice(0, 64 - (64 % 4)));
    if (!raw || !startsWith(raw, 'Salted__')) return undefined;
    return locked({
      id: 'openssl-salted-base64',
      name: 'OpenSSL salted ciphertext, base64',
      confidence: 0.95,
      code: 'OPENSSL_SALTED_BASE64',
      message: 'Base64 text that decodes to the "Salted__" header of `openssl enc -a` output.',
      scheme: 'openssl-enc',
      keyHint: HINT,
    });
  }
  return undefined;
}
