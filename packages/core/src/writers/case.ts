/**
 * CASE/UCO export: a JSON-LD document in the Cyber-investigation Analysis
 * Standard Expression ontology, for tools that import CASE.
 *
 * Target: CASE 1.4.0 / UCO 1.4.0 (https://caseontology.org/,
 * https://github.com/ucoProject/UCO). The document is self-contained (inline
 * `@context`, no remote terms) and meets the SHACL shapes of both ontologies
 * plus closed-world checks (every node typed, described once, no dangling
 * references). What it holds, in `@graph` order:
 *
 * - `uco-tool:Tool` evtriage with its version; `uco-identity:Identity` for
 *   the examiner when one was given; the source as a `uco-observable:File` or
 *   `Directory` with a `FileFacet`;
 * - one `uco-observable:File` per item with a `FileFacet` (fileName,
 *   filePath, extension, isDirectory, sizeInBytes, modified / accessed /
 *   metadata-change / created times) and a `ContentDataFacet` (mimeType,
 *   entropy as `xsd:decimal`, isEncrypted, MD5/SHA1/SHA256 `uco-types:Hash`
 *   nodes); status, format, app and encryption scheme also as `uco-core:tag`s
 *   (`status:encrypted`, `format:sqlite`...) and a one-line `description`;
 * - an `ObservableRelationship` `Contained_Within` from each archive member to
 *   its archive;
 * - last (the end time and item count are known only then): the scan as a
 *   `case-investigation:InvestigativeAction` (start and end time, instrument
 *   the tool, performer the examiner, object the source, result every item)
 *   and a `case-investigation:Investigation` named by the case id that holds it.
 *
 * Identifiers are `https://evtriage.invalid/kb/<kind>-<uuid>`: a UUID per run
 * (from the scan's start time and source) whose last group counts the item,
 * so each id is unique, ends in a UUID (UCO's recommendation), and the
 * action's result list is rebuilt at the end from the count alone; memory
 * stays flat however many items there are.
 *
 * `isEncrypted` is true for items classified `encrypted` (the content is
 * locked), false for the others; `magicNumber` is not written (the manifest
 * does not keep leading bytes).
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { EvidenceItem } from '../model/evidence-item.js';
import type { ManifestHeader, ManifestSummary } from '../model/manifest.js';
import { writeChunk, type ManifestWriter } from './writer.js';

/** The CASE and UCO release the export targets. */
export const CASE_VERSION = '1.4.0';
/** Base of the identifiers of the nodes the export describes. */
export const CASE_KB = 'https://evtriage.invalid/kb/';

/** The inline JSON-LD context: only the prefixes the document uses. */
export const CASE_CONTEXT = {
  kb: CASE_KB,
  'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
  'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
  'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
  'uco-identity': 'https://ontology.unifiedcyberontology.org/uco/identity/',
  'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
  'uco-tool': 'https://ontology.unifiedcyberontology.org/uco/tool/',
  'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

type Node = Record<string, unknown>;

/** Makes `(kind, n) -> kb:kind-<uuid>` ids from a seed; the UUID's last group is `n`. */
export function caseIdFactory(seed: string): (kind: string, n: number) => string {
  const h = createHash('sha1').update(seed).digest('hex');
  // UUID version 5 layout (RFC 9562 section 5.5) for the first four groups; the last carries the counter.
  const head = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}`;
  return (kind, n) => `kb:${kind}-${head}-${n.toString(16).padStart(12, '0')}`;
}

const dateTime = (v: string) => ({ '@type': 'xsd:dateTime', '@value': v });

function baseName(p: string): string {
  const member = p.lastIndexOf('!/');
  const tail = member >= 0 ? p.slice(member + 2) : p;
  const slash = tail.lastIndexOf('/');
  return slash >= 0 ? tail.slice(slash + 1) : tail;
}

function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : undefined;
}

/** Builds the item's nodes: the File, its facets are embedded (each with its own id). */
export function caseFileNode(item: EvidenceItem, n: number, id: (kind: string, n: number) => string): Node {
  const name = baseName(item.path);
  const fileFacet: Node = {
    '@id': id('file-facet', n),
    '@type': 'uco-observable:FileFacet',
    'uco-observable:fileName': name,
    'uco-observable:filePath': item.path,
  };
  const ext = item.format?.extension ?? extensionOf(name);
  if (ext !== undefined) fileFacet['uco-observable:extension'] = ext;
  fileFacet['uco-observable:isDirectory'] = item.kind === 'directory';
  fileFacet['uco-observable:sizeInBytes'] = item.size;
  if (item.times.created) fileFacet['uco-observable:observableCreatedTime'] = dateTime(item.times.created);
  if (item.times.modified) fileFacet['uco-observable:modifiedTime'] = dateTime(item.times.modified);
  if (item.times.accessed) fileFacet['uco-observable:accessedTime'] = dateTime(item.times.accessed);
  if (item.times.changed) fileFacet['uco-observable:metadataChangeTime'] = dateTime(item.times.changed);

  const content: Node = { '@id': id('content-data-facet', n), '@type': 'uco-observable:ContentDataFacet' };
  if (item.format?.mime) content['uco-observable:mimeType'] = item.format.mime;
  const entropy = item.classification.entropy?.shannon;
  if (entropy !== undefined)
    content['uco-observable:entropy'] = { '@type': 'xsd:decimal', '@value': entropy.toFixed(6) };
  content['uco-observable:isEncrypted'] = item.classification.status === 'encrypted';
  const hashes: Node[] = [];
  const addHash = (method: string, value: string | undefined, k: number) => {
    if (value)
      hashes.push({
        '@id': id(`hash-${k}`, n),
        '@type': 'uco-types:Hash',
        'uco-types:hashMethod': method,
        'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': value },
      });
  };
  addHash('MD5', item.hashes?.md5, 1);
  addHash('SHA1', item.hashes?.sha1, 2);
  addHash('SHA256', item.hashes?.sha256, 3);
  if (hashes.length > 0) content['uco-observable:hash'] = hashes;

  const c = item.classification;
  const tags = [`status:${c.status}`, `certainty:${c.certainty}`];
  if (item.format) tags.push(`format:${item.format.id}`);
  if (item.encryption) tags.push(`encryption:${item.encryption.scheme}`);
  if (item.app) tags.push(`app:${item.app.id}`);
  if (item.artifact) tags.push(`artifact:${item.artifact.id}`);
  if (item.errors.length > 0) tags.push('has-errors');
  let description = `${c.status} (${c.certainty}): ${c.reasons[0]?.message ?? ''}`.trim();
  if (item.format) description += ` Format: ${item.format.name}.`;
  if (item.encryption?.keyHint)
    description += ` Key: ${item.encryption.keyHint.description} (present: ${item.encryption.keyHint.present}).`;

  return {
    '@id': id('file', n),
    '@type': 'uco-observable:File',
    'uco-core:description': description,
    'uco-core:tag': tags,
    'uco-core:hasFacet': [fileFacet, content],
  };
}

/**
 * A CASE/UCO JSON-LD writer. Streams: each item's nodes are written as it
 * arrives; only the last path seen at each archive depth is kept (to link
 * members to their archive).
 *
 * @example
 * const w = createCaseWriter(fs.createWriteStream('scan.jsonld'));
 */
export function createCaseWriter(out: Writable): ManifestWriter {
  let header: ManifestHeader | undefined;
  let id: (kind: string, n: number) => string = caseIdFactory('evtriage');
  let count = 0;
  let relations = 0;
  let started = false;
  /**
   * The last item written at each archive depth, shallowest first: the
   * container of the next deeper item. A stack of the depths seen, not an
   * array indexed by depth: a manifest may say any depth up to 2^53 (one of
   * 4,294,967,296 ended `report -f case` with "Invalid array length").
   */
  const lastAtDepth: Array<{ depth: number; path: string; n: number }> = [];
  let sep = '';
  const node = (n: Node) => {
    const s = sep + JSON.stringify(n);
    sep = ',\n';
    return s;
  };

  const start = (h?: ManifestHeader) => {
    started = true;
    header = h;
    id = caseIdFactory(`${h?.tool.name ?? 'evtriage'}|${h?.startedAt ?? ''}|${h?.source.path ?? ''}`);
    let x = `{"@context":${JSON.stringify(CASE_CONTEXT)},\n"@graph":[\n`;
    if (h) {
      x += node({
        '@id': id('tool', 0),
        '@type': 'uco-tool:Tool',
        'uco-core:name': h.tool.name,
        'uco-tool:version': h.tool.version,
        'uco-tool:toolType': 'triage',
      });
      if (h.case.examiner)
        x += node({ '@id': id('examiner', 0), '@type': 'uco-identity:Identity', 'uco-core:name': h.case.examiner });
      const isDir = h.source.kind === 'folder' || h.source.kind === 'ios-backup';
      const facet: Node = {
        '@id': id('source-facet', 0),
        '@type': 'uco-observable:FileFacet',
        'uco-observable:fileName': baseName(h.source.path.replace(/\/+$/, '')) || h.source.path,
        'uco-observable:filePath': h.source.path,
        'uco-observable:isDirectory': isDir,
      };
      const facets: Node[] = [facet];
      if (h.source.sha256)
        facets.push({
          '@id': id('source-content', 0),
          '@type': 'uco-observable:ContentDataFacet',
          'uco-observable:hash': [
            {
              '@id': id('source-hash', 0),
              '@type': 'uco-types:Hash',
              'uco-types:hashMethod': 'SHA256',
              'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': h.source.sha256 },
            },
          ],
        });
      x += node({
        '@id': id('source', 0),
        '@type': isDir ? 'uco-observable:Directory' : 'uco-observable:File',
        'uco-core:description': `Evidence source (${h.source.kind})`,
        'uco-core:hasFacet': facets,
      });
    }
    return writeChunk(out, x);
  };

  return {
    onScanStart: (h: ManifestHeader) => start(h),
    onItem: async (item: EvidenceItem) => {
      if (!started) await start();
      const n = ++count;
      let x = node(caseFileNode(item, n, id));
      while (lastAtDepth.length > 0 && lastAtDepth[lastAtDepth.length - 1]!.depth >= item.depth) lastAtDepth.pop();
      const top = lastAtDepth[lastAtDepth.length - 1];
      const container = top && top.depth === item.depth - 1 ? top : undefined;
      if (container && item.path.startsWith(container.path + '!/')) {
        const r = ++relations;
        x += node({
          '@id': id('relationship', r),
          '@type': 'uco-observable:ObservableRelationship',
          'uco-core:source': { '@id': id('file', n) },
          'uco-core:target': { '@id': id('file', container.n) },
          'uco-core:kindOfRelationship': 'Contained_Within',
          'uco-core:isDirectional': true,
        });
      }
      lastAtDepth.push({ depth: item.depth, path: item.path, n });
      await writeChunk(out, x);
    },
    onScanEnd: async (summary: ManifestSummary) => {
      if (!started) await start();
      const h = header;
      if (h) {
        // The action's result lists every item; written in slices so no single string grows with the scan.
        const action = id('action', 0);
        let x =
          `${sep}{"@id":${JSON.stringify(action)},"@type":"case-investigation:InvestigativeAction","uco-core:name":"triage scan",` +
          `"uco-core:description":${JSON.stringify(`evtriage scan of ${h.source.path}: ${summary.counts.items} items${summary.complete ? '' : ` (incomplete: ${summary.interruption ?? 'stopped early'})`}`)},` +
          `"uco-action:startTime":${JSON.stringify(dateTime(h.startedAt))},"uco-action:endTime":${JSON.stringify(dateTime(summary.finishedAt))},` +
          `"uco-action:instrument":{"@id":${JSON.stringify(id('tool', 0))}},` +
          (h.case.examiner ? `"uco-action:performer":{"@id":${JSON.stringify(id('examiner', 0))}},` : '') +
          `"uco-action:object":[{"@id":${JSON.stringify(id('source', 0))}}]`;
        sep = ',\n';
        if (count > 0) {
          x += ',"uco-action:result":[';
          for (let n = 1; n <= count; n++) {
            x += `${n > 1 ? ',' : ''}{"@id":"${id('file', n)}"}`;
            if (x.length > 65536) {
              await writeChunk(out, x);
              x = '';
            }
          }
          x += ']';
        }
        x += '}';
        x += node({
          '@id': id('investigation', 0),
          '@type': 'case-investigation:Investigation',
          'uco-core:name': h.case.id ?? `evtriage triage of ${h.source.path}`,
          'case-investigation:focus': 'triage of a device extraction',
          'uco-core:object': [{ '@id': action }],
        });
        await writeChunk(out, x);
      }
      await writeChunk(out, '\n]}\n');
    },
  };
}
