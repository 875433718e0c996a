/**
 * DFXML export: one `fileobject` per item (name, size, times, hashes), for
 * tools that read Digital Forensics XML (fiwalk, dfxml Python tools, Autopsy
 * plug-ins).
 *
 * Target: DFXML 2.0.0-beta.0 schema (https://github.com/dfxml-working-group/dfxml_schema,
 * `dfxml.xsd`), the release `fiwalk` 4.11 output validates against. The
 * schema fixes the order of `fileobject` children (parent_object, filename,
 * error, partition, id, name_type, filesize, ..., mtime, ctime, atime, crtime,
 * ..., link_target, libmagic, byte_runs, hashdigest, then elements of other
 * namespaces); this writer emits them in that order.
 *
 * What DFXML has no element for (triage status, format, MIME type, app,
 * encryption, entropy) goes in one `evt:triage` element of the evtriage
 * namespace at the end of each `fileobject`, where the schema allows
 * `##other` content; case details go in `metadata`, the summary after the
 * last `fileobject`.
 *
 * Names: XML 1.0 cannot carry most C0 control characters, even as character
 * references (https://www.w3.org/TR/xml/#charsets). Such characters are
 * written as U+FFFD and the exact name is kept beside it in base64
 * (`evt:utf8Base64`, or `evt:rawBase64` for names that were not UTF-8), so
 * the document stays well-formed and nothing is lost.
 */
import type { Writable } from 'node:stream';
import type { EvidenceItem, EntryKind } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';
import { writeChunk, type ManifestWriter } from './writer.js';

/** The DFXML namespace (the schema's target namespace). */
export const DFXML_NS = 'http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML';
/** The namespace of evtriage's additions to DFXML. */
export const EVTRIAGE_DFXML_NS = 'https://evtriage.invalid/ns/dfxml/1';
/** The schema version the documents declare. */
export const DFXML_VERSION = '2.0.0-beta.0';

// Characters XML 1.0 forbids (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF, lone surrogates).
const INVALID_XML =
  // Matching control characters is this pattern's purpose.
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether a string holds characters XML 1.0 cannot represent. */
export function hasInvalidXmlChars(s: string): boolean {
  INVALID_XML.lastIndex = 0;
  return INVALID_XML.test(s);
}

/**
 * Escapes text for XML element content or a quoted attribute: markup
 * characters become entities, CR a character reference (so parsers keep
 * it), and characters XML cannot hold become U+FFFD.
 *
 * @example
 * xmlText('a<b & "c"\u0001') // => 'a&lt;b &amp; &quot;c&quot;\uFFFD'
 */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"'\r\t\n]/g, (c) => XML_ENTITIES[c]!);
}
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
  '\t': '&#x9;',
  '\n': '&#xA;',
};

const NAME_TYPE: Record<EntryKind, string> = {
  file: 'r',
  symlink: 'l',
  fifo: 'p',
  socket: 's',
  'block-device': 'b',
  'char-device': 'c',
  directory: 'd',
  other: '-',
};

function el(name: string, value: string | number | undefined, indent = '    '): string {
  return value === undefined
    ? ''
    : `${indent}<${name}>${typeof value === 'number' ? value : xmlText(value)}</${name}>\n`;
}

function attrs(pairs: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(pairs)) if (v !== undefined) out += ` ${k}="${xmlText(String(v))}"`;
  return out;
}

/** The `fileobject` element for an item (1-based `id`). */
export function dfxmlFileObject(item: EvidenceItem, id: number): string {
  const nameAttrs: Record<string, string | undefined> = {};
  if (item.rawPath) nameAttrs['evt:rawBase64'] = item.rawPath;
  else if (hasInvalidXmlChars(item.path))
    nameAttrs['evt:utf8Base64'] = Buffer.from(item.path, 'utf8').toString('base64');
  let x = '  <fileobject>\n';
  x += `    <filename${attrs(nameAttrs)}>${xmlText(item.path)}</filename>\n`;
  const firstError = item.errors.find((e) => e.severity === 'error');
  if (firstError) x += el('error', `${firstError.stage}:${firstError.code}: ${firstError.message}`);
  x += el('id', id);
  x += el('name_type', NAME_TYPE[item.kind]);
  x += el('filesize', item.size);
  x += el('mode', item.mode);
  x += el('mtime', item.times.modified);
  x += el('ctime', item.times.changed);
  x += el('atime', item.times.accessed);
  x += el('crtime', item.times.created);
  if (item.linkTarget !== undefined) x += el('link_target', item.linkTarget);
  if (item.hashes?.md5) x += `    <hashdigest type="md5">${item.hashes.md5}</hashdigest>\n`;
  if (item.hashes?.sha1) x += `    <hashdigest type="sha1">${item.hashes.sha1}</hashdigest>\n`;
  if (item.hashes?.sha256) x += `    <hashdigest type="sha256">${item.hashes.sha256}</hashdigest>\n`;
  x += `    <evt:triage${attrs({
    status: item.classification.status,
    certainty: item.classification.certainty,
    confidence: item.classification.confidence,
    reason: item.classification.reasons[0]?.code,
    format: item.format?.id,
    formatName: item.format?.name,
    mime: item.format?.mime,
    extensionMismatch: item.format?.extensionMismatch,
    entropy: item.classification.entropy?.shannon,
    encryption: item.encryption?.scheme,
    keyPresent: item.encryption?.keyHint?.present,
    keyHint: item.encryption?.keyHint?.description,
    app: item.app?.id,
    artifact: item.artifact?.id,
    logicalPath: item.logicalPath,
    depth: item.depth > 0 ? item.depth : undefined,
  })}/>\n`;
  x += '  </fileobject>\n';
  return x;
}

/**
 * A DFXML writer: the document head on scan start, a `fileobject` per item as
 * it arrives, and the summary and closing tag at the end. Memory stays flat.
 *
 * @example
 * const w = createDfxmlWriter(fs.createWriteStream('scan.dfxml'));
 */
export function createDfxmlWriter(out: Writable): ManifestWriter {
  let id = 0;
  let started = false;
  const start = (header?: ManifestHeader) => {
    started = true;
    let x = `<?xml version="1.0" encoding="UTF-8"?>\n<dfxml xmlns="${DFXML_NS}" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:evt="${EVTRIAGE_DFXML_NS}" version="${DFXML_VERSION}">\n`;
    x += '  <metadata>\n    <dc:type>File Listing</dc:type>\n';
    if (header?.case.id) x += el('evt:caseId', header.case.id);
    if (header?.case.examiner) x += el('evt:examiner', header.case.examiner);
    if (header) x += el('evt:sourceKind', header.source.kind);
    x += '  </metadata>\n';
    if (header) {
      x += '  <creator>\n';
      x += el('program', header.tool.name);
      x += el('version', header.tool.version);
      x += `    <execution_environment>\n${el('start_time', header.startedAt, '      ')}    </execution_environment>\n`;
      x += '  </creator>\n';
      x += `  <source>\n${el('image_filename', header.source.path)}  </source>\n`;
    }
    return writeChunk(out, x);
  };
  return {
    onScanStart: (header: ManifestHeader) => start(header),
    onItem: async (item: EvidenceItem) => {
      if (!started) await start();
      await writeChunk(out, dfxmlFileObject(item, ++id));
    },
    onScanEnd: async (summary: ManifestSummary) => {
      if (!started) await start();
      const s = summary.byStatus;
      await writeChunk(
        out,
        `  <evt:summary${attrs({
          complete: summary.complete,
          interruption: summary.interruption,
          finishedAt: summary.finishedAt,
          items: summary.counts.items,
          enumerated: summary.counts.enumerated,
          bytes: summary.counts.bytes,
          itemsWithErrors: summary.counts.itemsWithErrors,
          analysable: s['analysable']?.count,
          encrypted: s['encrypted']?.count,
          opaque: s['opaque']?.count,
          unreadable: s['unreadable']?.count,
        })}/>\n</dfxml>\n`,
      );
    },
  };
}
