import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { erlangStorageDetector } from './erlang-storage.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/erlang-storage/', import.meta.url);
const TABLES = ['people.dets', 'schema.DAT'];
const LOGS = ['audit.LOG', 'unclosed.LOG', 'LATEST.LOG', 'contact.DCD', 'kurt.LOG.1'];

// Written by Erlang/OTP 25's dets, disk_log and Mnesia, and OTP's own test log (fixtures/erlang-storage/generate.sh).
testDetector(
  erlangStorageDetector,
  {
    fixtures,
    valid: [
      ...TABLES.map((file) => ({
        file,
        format: 'erlang-dets',
        status: 'analysable' as const,
        reasons: ['ERLANG_DETS_HEADER'],
      })),
      ...LOGS.map((file) => ({
        file,
        format: 'erlang-disk-log',
        status: 'analysable' as const,
        reasons: ['ERLANG_DISK_LOG'],
      })),
    ],
    invalid: [
      { file: 'dets-version-7.dets', name: 'the DETS cookie with a format version OTP never wrote' },
      { file: 'log-bad-item.LOG', name: 'a disk_log header whose first item magic is broken' },
    ],
  },
  { framework: { describe, it } },
);

describe('Erlang storage files', () => {
  it('through the whole engine: the table counts, the log items and whether it was closed', async () => {
    const items = await scanFixtures('erlang-storage');
    expect(items.get('people.dets')?.classification.reasons[0]?.message).toContain(
      'a set keyed on element 1, 3 objects',
    );
    expect(items.get('audit.LOG')?.classification.reasons[0]?.message).toContain('marked closed; 6 items read');
    expect(items.get('unclosed.LOG')?.classification.reasons[0]?.message).toContain('marked opened');
    expect(items.get('contact.DCD')?.classification.reasons[0]?.message).toContain('0 items');
    for (const file of ['dets-version-7.dets', 'log-bad-item.LOG'])
      expect(items.get(file)?.format?.detector, file).not.toBe('erlang-storage');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: erlang-storage', () => {
  fuzzFlipCutGrow(
    erlangStorageDetector,
    [...TABLES, 'audit.LOG', 'LATEST.LOG'].map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
  );
});
