/**
 * The evidence item: one record per enumerated entry (file, symlink, special
 * file, archive member). The field names `path`, `classification.status`,
 * `classification.reasons`, `format.id` and `app.id` are a contract other tools rely on.
 */
import { z } from 'zod';
import { App } from './app.js';
import { Classification } from './classification.js';
import { Encryption } from './encryption.js';
import { Format } from './format.js';
import { ItemError } from './reason.js';

/** `directory` appears only for a folder whose contents could not be listed, so the loss is on record. */
export const EntryKind = z.enum([
  'file',
  'symlink',
  'fifo',
  'socket',
  'block-device',
  'char-device',
  'directory',
  'other',
]);
export type EntryKind = z.infer<typeof EntryKind>;

const IsoTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

export const Times = z.object({
  modified: IsoTime.optional(),
  accessed: IsoTime.optional(),
  changed: IsoTime.optional(),
  created: IsoTime.optional(),
});
export type Times = z.infer<typeof Times>;

export const Hashes = z.object({
  md5: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .optional(),
  sha1: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type Hashes = z.infer<typeof Hashes>;

/** A known artifact recognised by its structure (e.g. Android `mmssms.db`), with headline counts. */
export const Artifact = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Headline counts: messages, contacts, calls, visits... */
  counts: z.record(z.string(), z.number().int().min(0)),
  /** Parser that recognised it. */
  by: z.string(),
});
export type Artifact = z.infer<typeof Artifact>;

/** Membership in a known-file hash set. */
export const Known = z.object({
  set: z.string(),
  status: z.enum(['known-good', 'known-bad']),
});
export type Known = z.infer<typeof Known>;

export const EvidenceItem = z.object({
  /** POSIX path relative to the source root; members of nested archives are written `outer.zip!/member`. */
  path: z
    .string()
    .describe(
      'POSIX path relative to the source root, unique in the manifest. A member of an archive inside the source is written ' +
        '`outer/archive.zip!/member/path` (`!/` separates each archive from its members). A name component that itself ends in ' +
        '`!` has each trailing `!` doubled (a folder `evil.zip!` is written `evil.zip!!`), so a component ending in an odd run ' +
        'of `!` is always an archive. A member whose path another member of the same archive already has gets `~N` before its ' +
        'extension (`in~2.zip`) and a MEMBER_NAME_DUPLICATE warning. Names that are not UTF-8 keep their bytes in `rawPath`.',
    ),
  /** Base64 of the raw name bytes, present only when they are not valid UTF-8 (then `path` holds a lossy form). */
  rawPath: z.string().optional(),
  /** The real path where the on-disk name is a stand-in (iOS backups: `HomeDomain/Library/SMS/sms.db`). */
  logicalPath: z.string().optional(),
  kind: EntryKind,
  /** Size in bytes as the source records it. */
  size: z.number().int().min(0),
  times: Times,
  /** POSIX mode bits, when the source records them. */
  mode: z.number().int().min(0).optional(),
  /** For symlinks: the link target as stored (never followed). */
  linkTarget: z.string().optional(),
  /** For archive members: how many archives deep the item sits (0 for the source's own entries). */
  depth: z.number().int().min(0).default(0),
  hashes: Hashes.optional(),
  format: Format.optional(),
  classification: Classification,
  app: App.optional(),
  encryption: Encryption.optional(),
  artifact: Artifact.optional(),
  known: Known.optional(),
  /** What parsers found: tables and row counts, plist keys, member counts... */
  details: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(ItemError),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;
