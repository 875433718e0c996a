/**
 * The CASE writer links each archive member to its archive by the depths the
 * manifest gives. `report -f case` takes those depths from a manifest file, so
 * any depth the schema accepts (up to 2^53 − 1) must be carried, not used as
 * an array length (depth 4,294,967,296 ended the report with "Invalid array
 * length", exit 70).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EvidenceItem } from '../model/evidence-item.js';
import { createCaseWriter } from './case.js';

const item = (path: string, depth: number): EvidenceItem =>
  EvidenceItem.parse({
    path,
    kind: 'file',
    size: 1,
    times: {},
    depth,
    classification: {
      status: 'analysable',
      confidence: 0.5,
      certainty: 'likely',
      reasons: [{ code: 'TEST', message: 'built by the test', by: 'test' }],
    },
    errors: [],
  });

async function writeCase(items: EvidenceItem[]): Promise<Array<Record<string, unknown>>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = createCaseWriter(out);
  for (const i of items) await w.onItem(i);
  await w.onScanEnd?.({
    type: 'summary',
    finishedAt: '2026-01-01T00:00:00.000Z',
    complete: true,
    counts: { enumerated: items.length, items: items.length, itemsWithErrors: 0, bytes: items.length },
    byStatus: {
      analysable: { count: items.length, bytes: items.length },
      encrypted: { count: 0, bytes: 0 },
      opaque: { count: 0, bytes: 0 },
      unreadable: { count: 0, bytes: 0 },
    },
    formats: [],
    encrypted: [],
    apps: [],
    errors: [],
  });
  out.end();
  const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { '@graph': Array<Record<string, unknown>> };
  return doc['@graph'];
}

const relations = (graph: Array<Record<string, unknown>>) =>
  graph
    .filter((n) => n['@type'] === 'uco-observable:ObservableRelationship')
    .map((n) => [
      (n['uco-core:source'] as { '@id': string })['@id'],
      (n['uco-core:target'] as { '@id': string })['@id'],
    ]);

describe('CASE export of archive depths', () => {
  it('takes any depth the schema allows, and links a member only to the item one level up', async () => {
    const huge = 2 ** 32;
    const graph = await writeCase([
      item('a.zip', 0),
      item('a.zip!/b.zip', 1),
      item('a.zip!/b.zip!/c', 2),
      item('a.zip!/d', 1),
      item('x!/y', huge),
      item('x!/y!/z', huge + 1),
      item('far', Number.MAX_SAFE_INTEGER),
      item('e', 0),
    ]);
    const files = graph.filter((n) => n['@type'] === 'uco-observable:File').map((n) => n['@id'] as string);
    expect(files).toHaveLength(8);
    const id = (k: number) => files[k]!;
    expect(relations(graph)).toEqual([
      [id(1), id(0)],
      [id(2), id(1)],
      [id(3), id(0)],
      [id(5), id(4)],
    ]);
  });
});
