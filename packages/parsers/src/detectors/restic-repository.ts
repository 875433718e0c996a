/**
 * Objects of a restic backup repository: pack files (`data/<xx>/<id>`), indexes (`index/<id>`), snapshots
 * (`snapshots/<id>`) and locks (`locks/<id>`). Every one is ciphertext without a header (AES-256-CTR with a
 * 16-byte IV in front and a Poly1305 MAC at the end, per blob), so the statistics could only call them
 * unknown ciphertext. Their file name is the SHA-256 of the file's bytes (64 hex digits; a pack sits in the
 * folder named by the first two), which no other tool's files are laid out as: the name, the folder and bytes
 * that look uniformly random name the object, and where the probe holds the whole file its SHA-256 is checked
 * against the name (certain). The key that opens them is wrapped in `keys/<id>` (the `json-vaults` detector's
 * `restic-key`) under the repository password.
 * Reference: restic's design document ("Repository Format", "Keys, Encryption and MAC").
 */
import { createHash } from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { randomUnderNamedPath } from './statistics-figures.js';
import { locked, passwordHint } from './util.js';

/** data/<first two hex digits>/<id>, or index|snapshots|locks/<id>, the id 64 lower-case hex digits. */
const OBJECT_PATH = /(?:^|\/)(?:data\/([0-9a-f]{2})\/(\1[0-9a-f]{62})|(index|snapshots|locks)\/([0-9a-f]{64}))$/;
/** IV (16) and MAC (16) around at least one byte of ciphertext. */
const MIN_SIZE = 33;
const KIND: Record<string, string> = { index: 'index', snapshots: 'snapshot', locks: 'lock' };

export const resticRepositoryDetector = defineDetector({
  meta: {
    id: 'restic-repository',
    version: '1.0.0',
    title: 'restic repository objects (packs, indexes, snapshots, locks) by path and content hash',
    formats: [
      {
        id: 'restic-object',
        name: 'restic repository object (encrypted)',
        status: 'encrypted',
        how: 'path',
      },
    ],
  },
  minSize: MIN_SIZE,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = OBJECT_PATH.exec(probe.logicalPath.replaceAll('\\', '/'));
    if (!m) return undefined;
    const id = m[2] ?? m[4]!;
    const kind = m[3] ? KIND[m[3]]! : 'pack';
    const e = randomUnderNamedPath(probe);
    if (!e) return undefined;
    const whole = probe.head.length >= probe.size;
    const hashed = whole ? createHash('sha256').update(probe.head.subarray(0, probe.size)).digest('hex') : undefined;
    if (hashed !== undefined && hashed !== id) return undefined;
    return {
      ...locked({
        id: 'restic-object',
        name: 'restic repository object (encrypted)',
        confidence: hashed ? 0.95 : 0.8,
        code: hashed ? 'RESTIC_OBJECT_HASH' : 'RESTIC_OBJECT_PATH',
        message: `A restic ${kind} file: named by 64 hex digits in a repository's ${kind === 'pack' ? 'data/<xx>/ folder' : `${m[3]}/ folder`}, its bytes uniformly random (entropy ${e.shannon})${hashed ? ', and the SHA-256 of the whole file is its name, as restic writes it' : ''}: AES-256-CTR blobs with Poly1305 MACs, opened by the master key in the repository's keys/ file.`,
        figures: { kind, shannon: e.shannon, hashChecked: hashed !== undefined },
        scheme: 'restic-aes-256-ctr-poly1305',
        keyHint: passwordHint('the restic repository password, which unwraps the master key in keys/<id>'),
      }),
      entropy: e,
      basis: hashed ? 'structure' : 'path',
    };
  },
});
