/**
 * The triage manifest: a header, one item per entry and a summary. Two
 * encodings of the same records: one JSON document and NDJSON (one record a line).
 */
import { z } from 'zod';
import { AppCategory, Platform } from './app.js';
import { Status } from './classification.js';
import { KeyHint } from './encryption.js';
import { EvidenceItem } from './evidence-item.js';
import { Stage } from './reason.js';

/** Version of the manifest layout; bumped on any incompatible change. */
export const MANIFEST_SCHEMA_VERSION = '1.0.0';

export const PluginInfo = z.object({
  id: z.string(),
  version: z.string(),
  kind: z.enum(['detector', 'parser', 'app-rules']),
  /** Format ids it detects or parses. */
  formats: z.array(z.string()).optional(),
});
export type PluginInfo = z.infer<typeof PluginInfo>;

/**
 * The kind of source scanned: a built-in (`folder`, `zip`, `tar`, `tar.gz`, `tar.xz`, `tar.zst`, `tar.bz2`, `tar.lzma`,
 * `tar.lz`, `ios-backup`, and `file` for a stream opened as one file) or the id of a source kind a plugin declares with `defineSource`.
 */
export const SourceKind = z
  .string()
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'a source kind is a kebab-case id (built-in or a plugin source)');
export type SourceKind = z.infer<typeof SourceKind>;

export const SourceInfo = z.object({
  /** The path as the user gave it. */
  path: z.string(),
  kind: SourceKind,
  /** Hash of the source archive, on request. */
  sha256: z.string().optional(),
  /** Metadata the source itself carries (iOS backup device name, iOS version, encryption...). */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type SourceInfo = z.infer<typeof SourceInfo>;

export const ManifestHeader = z.object({
  type: z.literal('header'),
  schemaVersion: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  /** Version of the plugin contract the engine implements. */
  contractVersion: z.string(),
  plugins: z.array(PluginInfo),
  source: SourceInfo,
  options: z.record(z.string(), z.unknown()),
  case: z.object({ id: z.string().optional(), examiner: z.string().optional() }),
  startedAt: z.string(),
});
export type ManifestHeader = z.infer<typeof ManifestHeader>;

const CountBytes = z.object({ count: z.number().int().min(0), bytes: z.number().int().min(0) });

export const EncryptedGroup = z.object({
  scheme: z.string(),
  count: z.number().int().min(0),
  bytes: z.number().int().min(0),
  keyHint: KeyHint.optional(),
  /** The first few item paths (bounded), in scan order. */
  examples: z.array(z.string()),
});
export type EncryptedGroup = z.infer<typeof EncryptedGroup>;

/** Rows a summary table left out (its smallest, past its byte budget); their items are still in the counts. */
const OmittedRows = z.object({
  rows: z.number().int().min(0),
  /** The items those rows counted (for apps, their files). */
  items: z.number().int().min(0),
  /**
   * `rows` is an estimate: the values first seen once their table held its 50,000 rows are counted without being
   * kept, past 100,000 of them by a HyperLogLog sketch (standard error about 0.8%). `items` is always exact.
   */
  estimated: z.boolean().optional(),
});
export type OmittedRows = z.infer<typeof OmittedRows>;

export const AppSummary = z.object({
  id: z.string(),
  name: z.string().optional(),
  platform: Platform,
  category: AppCategory.optional(),
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
  byStatus: z.record(Status, z.number().int().min(0)),
  artifacts: z.array(
    z.object({ id: z.string(), count: z.number().int().min(0), counts: z.record(z.string(), z.number()) }),
  ),
  /** Encrypted items by scheme; `scope: "partial"` groups readable items with app-encrypted fields (e.g. KakaoTalk message columns). */
  encrypted: z.array(
    z.object({
      scheme: z.string(),
      count: z.number().int().min(0),
      scope: z.enum(['full', 'partial']).optional(),
      keyHint: KeyHint.optional(),
    }),
  ),
  /** True when the app has data but no parser recognised any artifact in it. */
  unparsed: z.boolean(),
  /** Whether the app is in the package list of the device (`packages.xml`) or only seen by path. */
  installed: z.boolean().optional(),
  /** Encrypted rows left out of `encrypted` (the smallest) to keep the summary record readable. */
  encryptedOmitted: OmittedRows.optional(),
});
export type AppSummary = z.infer<typeof AppSummary>;

/** Known-file set matches (`--known`): counts per status, known-bad examples, and whether known-good items were collapsed. */
export const KnownSummary = z.object({
  sets: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['known-good', 'known-bad']),
      format: z.string(),
      entries: z.number().int().min(0),
      matched: z.number().int().min(0),
    }),
  ),
  knownGood: CountBytes,
  knownBad: CountBytes.extend({ examples: z.array(z.string()) }),
  /** True when known-good items are counted here only, left out of the formats, apps and encrypted tables. */
  collapsed: z.boolean(),
});
export type KnownSummary = z.infer<typeof KnownSummary>;

export const ManifestSummary = z.object({
  type: z.literal('summary'),
  finishedAt: z.string(),
  /** False when the scan was interrupted; the items written so far are still valid. */
  complete: z.boolean(),
  interruption: z.string().optional(),
  /** Set when `--resume` finished an interrupted manifest: items taken over from the earlier run, and when the resume started. */
  resumed: z.object({ items: z.number().int().min(0), at: z.string() }).optional(),
  counts: z.object({
    /** Entries the sources enumerated. */
    enumerated: z.number().int().min(0),
    /** Items written; equal to `enumerated` for a complete scan. */
    items: z.number().int().min(0),
    /** Items carrying at least one error. */
    itemsWithErrors: z.number().int().min(0),
    bytes: z.number().int().min(0),
  }),
  byStatus: z.record(Status, CountBytes),
  formats: z.array(
    z.object({ id: z.string(), name: z.string(), count: z.number().int().min(0), bytes: z.number().int().min(0) }),
  ),
  encrypted: z.array(EncryptedGroup),
  apps: z.array(AppSummary),
  errors: z.array(
    z.object({ stage: Stage, code: z.string(), count: z.number().int().min(0), examples: z.array(z.string()) }),
  ),
  known: KnownSummary.optional(),
  /**
   * Rows left out of the tables above, per table, when a table's rows would
   * pass its byte budget (`SUMMARY_TABLE_BYTES`): a dump with hundreds of
   * thousands of distinct keys or apps would otherwise write a summary line
   * too long for any reader of the manifest.
   */
  omitted: z
    .object({
      formats: OmittedRows.optional(),
      encrypted: OmittedRows.optional(),
      apps: OmittedRows.optional(),
      errors: OmittedRows.optional(),
    })
    .optional(),
});
export type ManifestSummary = z.infer<typeof ManifestSummary>;

export const ItemRecord = EvidenceItem.extend({ type: z.literal('item') });
export type ItemRecord = z.infer<typeof ItemRecord>;

/** One line of an NDJSON manifest. */
export const ManifestLine = z.discriminatedUnion('type', [ManifestHeader, ItemRecord, ManifestSummary]);
export type ManifestLine = z.infer<typeof ManifestLine>;

/** The JSON-document encoding. */
export const Manifest = z.object({
  header: ManifestHeader,
  items: z.array(EvidenceItem),
  summary: ManifestSummary,
});
export type Manifest = z.infer<typeof Manifest>;
