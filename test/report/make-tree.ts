/**
 * Builds a small but varied extraction tree for the report and export tests:
 * real bytes made by real tools (sqlite3, zip with a password), a WhatsApp
 * crypt15 look-alike with its key file, random bytes, an empty file, a
 * symlink, and hostile names (a spreadsheet formula, a control character, a
 * name that is not UTF-8, markup). Needs `sqlite3` and `zip` (.ci/system-deps.sh).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Deterministic pseudo-random bytes (xorshift), so generated trees are reproducible. */
export function pseudoRandom(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Creates the tree in a new temp folder and returns its path. */
export function makeReportTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-report-'));
  const w = (rel: string, data: string | Buffer) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    return p;
  };
  w('sdcard/Documents/notes.txt', 'Meeting at 10.\nBring the blue folder.\n');
  w('sdcard/Documents/=HYPERLINK("http-x")+1.txt', 'formula name\n');
  w('sdcard/Documents/-minus.txt', 'leading minus\n');
  w('sdcard/Documents/<b>markup</b> & "quotes".txt', 'markup in a name\n');
  w('sdcard/Documents/ctrl\u0001char.txt', 'control character in a name\n');
  w('sdcard/empty.bin', Buffer.alloc(0));
  // Names that start a spreadsheet formula (the cell starts with the name at the root), and CSV/XML specials.
  w('=HYPERLINK("http-x","click").txt', 'formula at the start of a cell\n');
  w('@SUM(1+1).txt', 'at-sign formula\n');
  w('+1-1.txt', 'plus formula\n');
  w('-2+3.txt', 'minus formula\n');
  w('\tTAB.txt', 'leading tab\n');
  w('comma, "quote"\nnewline.txt', 'comma, quote and newline in a name\n');
  w('sdcard/Download/noise.bin', pseudoRandom(64 * 1024, 7));
  // A tiny PNG (1x1, grey), bytes as written by common encoders.
  w(
    'sdcard/Pictures/pixel.png',
    Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b550000000a49444154789c63600000000200015e2e6e2b0000000049454e44ae426082',
      'hex',
    ),
  );
  // WhatsApp: an encrypted backup (crypt15 files are AES-GCM output: random-looking) and the key file beside it.
  w(
    'sdcard/Android/media/com.whatsapp/WhatsApp/Databases/msgstore.db.crypt15',
    Buffer.concat([Buffer.from('000000', 'hex'), pseudoRandom(8192, 11)]),
  );
  w('data/data/com.whatsapp/files/key', pseudoRandom(158, 13));
  // Real SQLite databases made by sqlite3.
  const db = w('data/data/com.android.providers.telephony/databases/mmssms.db', '');
  fs.rmSync(db);
  execFileSync('sqlite3', [
    db,
    "CREATE TABLE sms(_id INTEGER PRIMARY KEY, address TEXT, body TEXT, date INTEGER, type INTEGER); INSERT INTO sms(address,body,date,type) VALUES ('+15550100','hello',1700000000000,1),('+15550101','see you',1700000100000,2);",
  ]);
  // A password-protected ZIP (ZipCrypto) made by Info-ZIP zip.
  const zdir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-report-zip-'));
  fs.writeFileSync(path.join(zdir, 'secret.txt'), 'the secret\n');
  fs.mkdirSync(path.join(root, 'sdcard/Download'), { recursive: true });
  execFileSync('zip', ['-q', '-P', 'pass', path.join(root, 'sdcard/Download/locked.zip'), 'secret.txt'], { cwd: zdir });
  // A plain ZIP with two members (opened as a container).
  fs.writeFileSync(path.join(zdir, 'inner.txt'), 'inside the archive\n');
  execFileSync('zip', ['-q', path.join(root, 'sdcard/Download/plain.zip'), 'inner.txt', 'secret.txt'], { cwd: zdir });
  fs.rmSync(zdir, { recursive: true, force: true });
  // A name that is not valid UTF-8 (Latin-1 "café").
  fs.writeFileSync(
    Buffer.concat([
      Buffer.from(path.join(root, 'sdcard/Documents') + '/'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]),
    ]),
    'latin-1 name\n',
  );
  fs.symlinkSync('notes.txt', path.join(root, 'sdcard/Documents/notes-link'));
  return root;
}
