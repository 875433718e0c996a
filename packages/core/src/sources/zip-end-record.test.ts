/**
 * End records whose comment length disagrees with the file's end, made by Info-ZIP zip
 * (fixtures/zip-end-record/generate.sh): bytes appended after the archive and a comment cut short are
 * read through the central directory, with the disagreement recorded; an inner archive's end record
 * found in a cut outer one is not believed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bufferReader } from './readers.js';
import { mutant, rng } from './stream-codec.test-helper.js';
import { endRecordNote, openZip, ZipSource } from './zip.js';
import { endRecordView } from './zip-end-record.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/zip-end-record');
const bytesOf = (name: string) => fs.readFileSync(path.join(dir, name));

async function members(file: string): Promise<Array<[string, string]>> {
  const source = await ZipSource.fromFile(path.join(dir, file));
  const out: Array<[string, string]> = [];
  for await (const e of source.entries()) {
    if (e.error) out.push([e.path, `error ${e.error.code}`]);
    else {
      const r = await e.open!();
      out.push([e.path, (await r.read(0, e.size)).toString('latin1')]);
      await r.close();
    }
  }
  await source.close();
  return out;
}

describe('ZIP end records that disagree with the end of the file', () => {
  it('reads the directory of an archive with bytes appended after it, and says how many', async () => {
    const zf = await openZip(bufferReader(bytesOf('trailing-bytes.zip')));
    expect(zf.entryCount).toBe(2);
    expect(endRecordNote(zf)?.code).toBe('ZIP_TRAILING_BYTES');
    expect(endRecordNote(zf)?.message).toMatch(
      /^30 byte\(s\) follow the end of the archive \(its end record at offset \d+ and a 18-byte comment\)/,
    );
    zf.close();
    expect(await members('trailing-bytes.zip')).toEqual([
      ['a.txt', 'first member\n'],
      ['b.txt', 'second member, a little longer\n'],
      ['trailing-bytes.zip!/', 'error ZIP_TRAILING_BYTES'],
    ]);
  });

  it('reads the directory of an archive whose comment is cut short, the missing bytes as zeros', async () => {
    const zf = await openZip(bufferReader(bytesOf('comment-cut.zip')));
    expect(endRecordNote(zf)?.code).toBe('ZIP_COMMENT_CUT');
    expect(endRecordNote(zf)?.message).toMatch(/declares a 18-byte comment, but the file ends 13 byte\(s\) after it/);
    zf.close();
    const view = await endRecordView(bufferReader(bytesOf('comment-cut.zip')));
    const size = bytesOf('comment-cut.zip').length;
    expect(view?.reader.size).toBe(size + 5);
    expect(
      (await view!.reader.read(size - 2, 10)).equals(
        Buffer.concat([bytesOf('comment-cut.zip').subarray(-2), Buffer.alloc(5)]),
      ),
    ).toBe(true);
    expect((await members('comment-cut.zip')).map(([p]) => p)).toEqual(['a.txt', 'b.txt', 'comment-cut.zip!/']);
  });

  it('does not believe the end record of an archive stored inside a cut one', async () => {
    const cut = bytesOf('cut-outer-inner-record.zip');
    expect(await endRecordView(bufferReader(cut))).toBeUndefined();
    await expect(openZip(bufferReader(cut))).rejects.toMatchObject({ code: 'ZIP_UNREADABLE' });
    // The outer archive's own members, from their local headers: the inner one's are not listed as the outer's.
    expect(
      (await members('cut-outer-inner-record.zip')).map(([p, got]) => (got.startsWith('error') ? got : p)),
    ).toEqual(['inner.zip', 'a.txt', 'error ZIP_NO_CENTRAL_DIRECTORY']);
  });

  it('leaves an archive that ends where its end record says alone', async () => {
    const whole = bytesOf('trailing-bytes.zip');
    const exact = whole.subarray(0, whole.length - 30);
    expect(await endRecordView(bufferReader(exact))).toBeUndefined();
    const zf = await openZip(bufferReader(exact));
    expect(endRecordNote(zf)).toBeUndefined();
    zf.close();
  });

  it('ends on every seeded mutant with a view inside its bounds or none', async () => {
    const seeds = ['trailing-bytes.zip', 'comment-cut.zip', 'cut-outer-inner-record.zip'].map(bytesOf);
    const r = rng(2026120734);
    let views = 0;
    for (let i = 0; i < 300; i++) {
      const bytes = mutant(seeds[i % seeds.length]!, r);
      const view = await endRecordView(bufferReader(bytes));
      if (!view) continue;
      views++;
      expect(view.reader.size).toBeGreaterThanOrEqual(22);
      expect(view.reader.size).toBeLessThanOrEqual(bytes.length + 0xffff);
      const all = await view.reader.read(0, view.reader.size);
      expect(all.length).toBe(view.reader.size);
      await openZip(view.reader).then(
        (zf) => zf.close(),
        (err: Error) => expect(err.message).toBeTruthy(),
      );
    }
    expect(views).toBeGreaterThan(0);
  });
});
