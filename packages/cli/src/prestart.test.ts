import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinDetectorsModule as fromPackage } from '@evtriage/parsers';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDetectorsModule, worthPrestart } from './prestart.js';

describe('scan prestart', () => {
  it('names the module the scan sends its probe workers (builtinDetectorsModule) without loading the package', () => {
    expect(builtinDetectorsModule()).toBe(fromPackage);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-prestart-'));
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'x');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts a worker for a scan that can run: the source exists and the output has a folder', () => {
    expect(worthPrestart(dir, path.join(dir, 'out.json'))).toBe(true);
    expect(worthPrestart(file, '-')).toBe(true);
    expect(worthPrestart(dir, undefined, path.join(dir, 'partial.ndjson'))).toBe(true);
  });

  it('starts none for a scan refused at once: no source, no -o, or an output folder that is not there', () => {
    expect(worthPrestart(path.join(dir, 'missing'), path.join(dir, 'out.json'))).toBe(false);
    expect(worthPrestart(dir, undefined)).toBe(false);
    expect(worthPrestart(dir, path.join(dir, 'no-such-folder', 'out.json'))).toBe(false);
    expect(worthPrestart(dir, path.join(file, 'out.json'))).toBe(false);
  });
});
