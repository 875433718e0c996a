#!/usr/bin/env node
/**
 * Unknown-format encrypted files: a benchmark of how evtriage generalises to ciphertext it has no detector
 * for. Each file is AES ciphertext (CTR, CBC or GCM from node:crypto, keys and IVs from a seeded generator)
 * behind headers and around trailers in the styles real formats use — an ASCII magic and version; binary
 * headers with salt, IV and KDF parameters in little- and big-endian u16/u32/u64 fields; TLV records with
 * 1-, 2- or 4-byte lengths of either endianness and ASCII or binary tags; a JSON, XML or INI header before
 * binary ciphertext; many small encrypted records behind clear lengths (YAPET, KeePass 1, password managers);
 * fixed-size blocks each behind a tag or sequence number; protobuf-like keys and varint lengths; a MAC or
 * signature trailer — from 64 bytes to 4 MiB. A quarter have the same shapes over compressed
 * payloads (deflate, zstd, lz4, brotli), which must come out opaque, never encrypted.
 *
 * The right answer for a ciphertext file is `encrypted` (evtriage has no reader for these formats, so the
 * statistics' `unknown-encrypted` or any encrypted format); for a compressed one anything but `encrypted`.
 * Every other outcome is a chance match: a structural detector took the clear framing for its own format.
 *
 * Run (from the repository root, after the build):
 *   node scripts/unknown-ciphertext-corpus.mjs /tmp/ucc [count=3000] [seed=35]
 *   node packages/cli/dist/bin.js scan /tmp/ucc/files -o /tmp/ucc.ndjson -f ndjson -q
 *   node scripts/unknown-ciphertext-corpus.mjs --score /tmp/ucc /tmp/ucc.ndjson
 * The first writes `files/` and `labels.tsv` (name, payload, shape, cipher or compressor); the second prints
 * files × outcome and every lead grouped by detector and reason code. Deterministic for a count and seed
 * (zstd and lz4 are their Debian command-line tools, `apt-get install zstd lz4`).
 */
import { createCipheriv } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync } from 'node:zlib';
import { mulberry32 } from './mulberry32.mjs';

/** A seeded generator (mulberry32), so the same count and seed give the same files. */
function rng(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const bytes = (n) => {
    const b = Buffer.alloc(n);
    let i = 0;
    for (; i + 4 <= n; i += 4) b.writeUInt32LE(Math.floor(next() * 4294967296), i);
    for (; i < n; i++) b[i] = int(0, 255);
    return b;
  };
  return { next, int, pick, bytes };
}

const WORDS =
  'the of and to in is was for on that with as by at from his her are be this which or an not have had one were all their they there been has when who more will would no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three'.split(
    ' ',
  );

/** Plaintext that compresses like real data: words, numbered log lines, small binary records. */
function plaintext(r, n) {
  const kind = r.int(0, 2);
  if (kind === 2) {
    const b = Buffer.alloc(n);
    for (let at = 0; at + 16 <= n; at += 16) {
      b.writeUInt32LE(at / 16, at);
      b.writeUInt32LE(r.int(0, 1000), at + 4);
      b.writeDoubleLE(r.int(0, 100000) / 100, at + 8);
    }
    return b;
  }
  const parts = [];
  let len = 0;
  let line = 0;
  while (len < n) {
    const words = Array.from({ length: r.int(4, 14) }, () => r.pick(WORDS)).join(' ');
    const s = kind === 0 ? `${words}.\n` : `2024-03-${String((line % 28) + 1).padStart(2, '0')} id=${line} ${words}\n`;
    line++;
    parts.push(s);
    len += s.length;
  }
  return Buffer.from(parts.join('')).subarray(0, n);
}

function encrypt(r, plain) {
  const mode = r.pick(['aes-128-ctr', 'aes-256-ctr', 'aes-256-cbc', 'aes-128-cbc', 'aes-256-gcm']);
  const key = r.bytes(mode.startsWith('aes-128') ? 16 : 32);
  const iv = r.bytes(mode.endsWith('gcm') ? 12 : 16);
  const c = createCipheriv(mode, key, iv);
  const out = Buffer.concat([c.update(plain), c.final()]);
  return { data: mode.endsWith('gcm') ? Buffer.concat([out, c.getAuthTag()]) : out, how: mode };
}

function compress(r, plain, inProcess = false) {
  const how = r.pick(inProcess ? ['deflate', 'zlib', 'brotli'] : ['deflate', 'zlib', 'zstd', 'lz4', 'brotli']);
  const tool = { input: plain, maxBuffer: 64 << 20 };
  if (how === 'deflate') return { data: deflateRawSync(plain), how };
  if (how === 'zlib') return { data: deflateSync(plain), how };
  if (how === 'brotli') return { data: brotliCompressSync(plain), how };
  if (how === 'zstd') return { data: execFileSync('zstd', ['-q', '-c', '-3'], tool), how };
  return { data: execFileSync('lz4', ['-q', '-c'], tool), how };
}

/** The payload of about `n` bytes: ciphertext, or compressed data of plaintext sized to give about `n`. */
function payload(r, kind, n, inProcess = false) {
  if (kind === 'cipher') return encrypt(r, plaintext(r, n));
  return compress(r, plaintext(r, n * 4), inProcess);
}

function uint(value, bytes, le) {
  const b = Buffer.alloc(bytes);
  if (bytes === 1) b[0] = value & 0xff;
  else if (bytes === 2) b[le ? 'writeUInt16LE' : 'writeUInt16BE'](value & 0xffff);
  else if (bytes === 4) b[le ? 'writeUInt32LE' : 'writeUInt32BE'](value >>> 0);
  else b[le ? 'writeBigUInt64LE' : 'writeBigUInt64BE'](BigInt(value));
  return b;
}

const upper = (r, n) => Array.from({ length: n }, () => String.fromCharCode(r.int(65, 90))).join('');
const asciiMagic = (r) => Buffer.from(upper(r, r.int(3, 8)) + r.pick(['', '1', '2.0', 'v3', '_01', '\0', '\x1a\n']));

/** A clear header in one of the styles formats use; `n` is the payload length some of them declare. */
const HEADERS = {
  ascii(r) {
    return Buffer.concat([
      asciiMagic(r),
      r.int(0, 1) ? uint(r.int(1, 4), r.pick([1, 2, 4]), r.int(0, 1)) : Buffer.alloc(0),
    ]);
  },
  binary(r, n) {
    const le = r.int(0, 1) === 1;
    const fields = [r.int(0, 1) ? asciiMagic(r) : r.bytes(4), uint(r.int(1, 5), r.pick([2, 4]), le)];
    for (const f of r.pick([
      ['salt', 'iv'],
      ['salt', 'kdf', 'iv'],
      ['kdf', 'salt', 'mem', 'iv', 'size'],
      ['iv', 'size'],
    ]))
      fields.push(
        f === 'salt'
          ? r.bytes(r.pick([8, 16, 32]))
          : f === 'iv'
            ? r.bytes(r.pick([12, 16]))
            : f === 'kdf'
              ? uint(r.pick([1000, 10000, 100000, 600000, 65536]), 4, le)
              : f === 'mem'
                ? uint(r.pick([65536, 1 << 20, 19456]), 4, le)
                : uint(n, r.pick([4, 8]), le),
      );
    return Buffer.concat(fields);
  },
  text(r, n) {
    const salt = r.bytes(16).toString('base64');
    const t = r.pick([
      `{"version":${r.int(1, 3)},"cipher":"aes-256-gcm","kdf":"scrypt","salt":"${salt}","n":32768,"length":${n}}`,
      `<?xml version="1.0"?><vault version="2"><kdf iter="${r.int(1000, 200000)}" salt="${salt}"/></vault>`,
      `[header]\nversion=${r.int(1, 9)}\ncipher=AES256\nsalt=${salt}\nlength=${n}\n`,
    ]);
    return Buffer.concat([Buffer.from(t), Buffer.from(r.pick(['\n', '\n\n', '\0', '\r\n']))]);
  },
};

/** A record: a tag (ASCII or binary), then a 1-, 2- or 4-byte length of either endianness, then the value. */
function record(r, style, value) {
  const lengthBytes = style.lengthBytes === 1 && value.length > 255 ? 2 : style.lengthBytes;
  const len = uint(value.length, lengthBytes, style.le);
  const tag =
    style.tag === 'none'
      ? Buffer.alloc(0)
      : style.tag === 'ascii'
        ? Buffer.from(style.prefix + upper(r, 2))
        : r.pick(style.codes);
  return style.tagFirst ? Buffer.concat([tag, len, value]) : Buffer.concat([len, tag, value]);
}

/**
 * One file's record layout, the same for all its records as in real formats: the length's width and byte order,
 * and its tags (ASCII names, or binary type codes from a small set of 1-6 values).
 */
function recordStyle(r) {
  const tag = r.pick(['ascii', 'ascii', 'bin1', 'bin2', 'none']);
  const codeBytes = tag === 'bin2' ? 2 : 1;
  return {
    lengthBytes: r.pick([1, 2, 4, 4]),
    le: r.int(0, 1) === 1,
    tag,
    codes: Array.from({ length: r.int(1, 6) }, () => r.bytes(codeBytes)),
    prefix: r.pick(['', 'A2_', 'K', 'x-']),
    tagFirst: r.int(0, 2) > 0,
  };
}

/** The shapes: each returns the file's bytes around a payload of about `n` bytes. */
const SHAPES = {
  'ascii-magic': (r, kind, n) => {
    const p = payload(r, kind, n);
    return { bytes: Buffer.concat([HEADERS.ascii(r), p.data]), how: p.how };
  },
  'binary-header': (r, kind, n) => {
    const p = payload(r, kind, n);
    return { bytes: Buffer.concat([HEADERS.binary(r, p.data.length), p.data]), how: p.how };
  },
  'text-header': (r, kind, n) => {
    const p = payload(r, kind, n);
    return { bytes: Buffer.concat([HEADERS.text(r, p.data.length), p.data]), how: p.how };
  },
  tlv: (r, kind, n) => {
    const style = recordStyle(r);
    const parts = [r.int(0, 1) ? HEADERS.ascii(r) : Buffer.alloc(0)];
    for (let i = r.int(2, 7); i > 0; i--)
      parts.push(
        record(
          r,
          style,
          r.pick([r.bytes(r.pick([4, 8, 16, 32])), uint(r.int(0, 70000), 4, style.le), Buffer.from(upper(r, 3))]),
        ),
      );
    const p = payload(r, kind, n);
    parts.push(r.int(0, 1) ? record(r, { ...style, lengthBytes: 4 }, p.data) : p.data);
    return { bytes: Buffer.concat(parts), how: p.how };
  },
  records: (r, kind, n) => {
    const style = recordStyle(r);
    const parts = [r.pick([HEADERS.ascii, HEADERS.binary])(r, n)];
    let len = 0;
    let how = '';
    while (len < n) {
      // A 1-byte length holds a record of up to 255 bytes (one tool run per record would be slow).
      const p = payload(r, kind, r.int(8, style.lengthBytes === 1 ? 255 - 16 : 400), true);
      how = p.how;
      const rec = record(r, style, p.data);
      parts.push(rec);
      len += rec.length;
    }
    return { bytes: Buffer.concat(parts), how };
  },
  // Protocol-buffer-like framing: a field key, then a varint length (as Signal, WhatsApp and Chromium stores wrap).
  'varint-records': (r, kind, n) => {
    const varint = (v) => {
      const out = [];
      for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v & 0x7f) | 0x80);
      out.push(v);
      return Buffer.from(out);
    };
    const parts = [r.int(0, 1) ? asciiMagic(r) : Buffer.alloc(0)];
    for (let i = r.int(1, 4); i > 0; i--) parts.push(Buffer.from([(r.int(1, 15) << 3) | 0]), varint(r.int(0, 1 << 20)));
    const p = payload(r, kind, n);
    parts.push(Buffer.from([(r.int(1, 15) << 3) | 2]), varint(p.data.length), p.data);
    return { bytes: Buffer.concat(parts), how: p.how };
  },
  // Fixed-size blocks, each a small clear header (a tag byte or a sequence number) and its ciphertext.
  'fixed-blocks': (r, kind, n) => {
    const block = r.pick([64, 128, 256, 512, 1024, 4096]);
    const header = r.pick(['tag', 'seq16', 'seq32']);
    const tag = r.int(0, 255);
    const le = r.int(0, 1) === 1;
    const parts = [r.int(0, 1) ? HEADERS.binary(r, n) : Buffer.alloc(0)];
    let how = '';
    for (let i = 0; i * block < n; i++) {
      const h = header === 'tag' ? Buffer.from([tag]) : uint(i, header === 'seq16' ? 2 : 4, le);
      const p = payload(r, kind, block - h.length, true);
      how = p.how;
      parts.push(h, p.data.subarray(0, block - h.length));
    }
    return { bytes: Buffer.concat(parts), how };
  },
};

const TRAILERS = {
  none: () => Buffer.alloc(0),
  mac: (r) => r.bytes(r.pick([20, 32, 64])),
  signature: (r) => Buffer.concat([Buffer.from(r.pick(['SIG', 'MAC', 'HMAC'])), uint(64, 2, r.int(0, 1)), r.bytes(64)]),
};

const EXTENSIONS = ['dat', 'bin', 'db', 'store', 'data', 'pak', 'vlt', ''];

function size(r) {
  // Log-uniform: most files small, one in six up to 4 MiB.
  const max = r.int(0, 5) === 0 ? 22 : 18;
  return Math.max(48, Math.round(2 ** (6 + r.next() * (max - 6))));
}

function generate(dir, count, seed) {
  const r = rng(seed);
  rmSync(join(dir, 'files'), { recursive: true, force: true });
  mkdirSync(join(dir, 'files'), { recursive: true });
  const labels = ['name\tpayload\tshape\ttrailer\thow\tsize'];
  for (let i = 0; i < count; i++) {
    const kind = r.int(0, 3) === 0 ? 'compressed' : 'cipher';
    const shape = r.pick(Object.keys(SHAPES));
    const trailer = r.pick(['none', 'none', 'mac', 'signature']);
    const n = size(r);
    const { bytes, how } = SHAPES[shape](r, kind, n);
    const file = Buffer.concat([bytes, TRAILERS[trailer](r)]);
    const ext = r.pick(EXTENSIONS);
    const name = `u${String(i).padStart(5, '0')}${ext ? `.${ext}` : ''}`;
    writeFileSync(join(dir, 'files', name), file);
    labels.push([name, kind, shape, trailer, how, file.length].join('\t'));
  }
  writeFileSync(join(dir, 'labels.tsv'), labels.join('\n') + '\n');
  console.log(`${count} files in ${join(dir, 'files')}, labels in ${join(dir, 'labels.tsv')}`);
}

function score(dir, ndjson) {
  const labels = new Map();
  for (const line of readFileSync(join(dir, 'labels.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [name, payload, shape, trailer, how, bytes] = line.split('\t');
    labels.set(name, { payload, shape, trailer, how, bytes: Number(bytes) });
  }
  const outcome = new Map();
  const leads = new Map();
  for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
    if (!line.includes('"type":"item"')) continue;
    const item = JSON.parse(line);
    const label = labels.get(item.path.split('/').pop());
    if (!label) continue;
    const status = item.classification.status;
    const key = `${label.payload} -> ${status}`;
    outcome.set(key, (outcome.get(key) ?? 0) + 1);
    const wrong = label.payload === 'cipher' ? status !== 'encrypted' : status === 'encrypted';
    if (!wrong) continue;
    const reason = item.classification.reasons[0];
    const lead = `${item.format?.detector ?? '?'} ${item.format?.id ?? '?'} ${reason?.code ?? '?'}`;
    const entry = leads.get(lead) ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < 3)
      entry.examples.push(`${item.path} (${label.payload} ${label.shape} ${label.how} ${label.bytes} B)`);
    leads.set(lead, entry);
  }
  console.log('files x outcome');
  for (const [k, v] of [...outcome].sort()) console.log(`  ${k}\t${v}`);
  console.log('leads (detector, format, first reason)');
  for (const [k, v] of [...leads].sort((a, b) => b[1].count - a[1].count)) {
    console.log(`  ${v.count}\t${k}`);
    for (const e of v.examples) console.log(`\t\t${e}`);
  }
}

const args = process.argv.slice(2);
const usage = 'usage: unknown-ciphertext-corpus.mjs <dir> [count] [seed] | --score <dir> <scan.ndjson>';
if (args[0] === '--score' && args[1] && args[2]) score(args[1], args[2]);
else if (args[0] && !args[0].startsWith('-')) generate(args[0], Number(args[1] ?? 3000), Number(args[2] ?? 35));
else {
  console.error(usage);
  process.exitCode = args[0] === '--help' || args[0] === '-h' ? 0 : 2;
}
