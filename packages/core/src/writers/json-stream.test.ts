import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonStreamError, streamJsonDocument, type JsonDocEvent } from './json-stream.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-jsonstream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
async function events(text: string): Promise<JsonDocEvent[]> {
  const f = path.join(dir, `${n++}.json`);
  fs.writeFileSync(f, text);
  const out: JsonDocEvent[] = [];
  for await (const e of streamJsonDocument(f)) out.push(e);
  return out;
}

describe('streamJsonDocument', () => {
  const doc = {
    header: { a: 1, s: 'x, ] } "q" \\ \u00e9' },
    items: [{ p: 'a]b' }, 2, 'three', null, [1, [2]], { n: { m: [] } }],
    summary: true,
  };

  it('yields the same values as JSON.parse, whatever the layout', async () => {
    for (const text of [
      JSON.stringify(doc),
      JSON.stringify(doc, null, 2),
      JSON.stringify(doc, null, '\t').replace(/\n/g, '\r\n'),
    ]) {
      const ev = await events(text);
      expect(ev.filter((e) => e.kind === 'element').map((e) => (e as { value: unknown }).value)).toEqual(doc.items);
      expect(ev.find((e) => e.kind === 'member' && e.key === 'header')).toMatchObject({ value: doc.header });
      expect(ev.find((e) => e.kind === 'member' && e.key === 'summary')).toMatchObject({ value: true });
      expect(ev.find((e) => e.kind === 'array-end')).toEqual({
        kind: 'array-end',
        key: 'items',
        count: doc.items.length,
      });
    }
  });

  it('reports the line of each element and reads values that span read chunks (items over 1 MiB)', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const ev = await events(`{"header":{},\n"items":[\n{"a":1},\n{"big":"${big}"},\n{"c":3}\n],\n"summary":{}}\n`);
    const el = ev.filter((e) => e.kind === 'element') as Array<{ line: number; value: Record<string, unknown> }>;
    expect(el.map((e) => e.line)).toEqual([3, 4, 5]);
    expect((el[1]!.value['big'] as string).length).toBe(big.length);
  });

  it('throws a JsonStreamError with the line for broken documents', async () => {
    await expect(events('{"items":[\n{"a":1},\n{"a":}\n]}')).rejects.toThrow(
      new JsonStreamError(
        'invalid JSON value: ' +
          (() => {
            try {
              JSON.parse('{"a":}');
            } catch (e) {
              return (e as Error).message;
            }
            return '';
          })(),
        3,
      ),
    );
    await expect(events('{"items":[1,2')).rejects.toBeInstanceOf(JsonStreamError);
    await expect(events('[1,2]')).rejects.toThrow(/line 1: expected "\{"/);
    await expect(events('{"a":1} x')).rejects.toThrow(/after the top-level object/);
  });
});
