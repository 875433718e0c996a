import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { kdbxEmptyPasswordParser } from './kdbx-empty-password.js';

// Made by kdbxweb (fixtures/kdbx-empty-password/generate.sh): the empty password opens two, "secret" locks two.
testParser(
  kdbxEmptyPasswordParser,
  {
    fixtures: new URL('../../fixtures/kdbx-empty-password/', import.meta.url),
    format: 'kdbx',
    valid: [
      { file: 'empty-password-v3.kdbx', status: 'analysable', details: { emptyPasswordCheck: 'opens' } },
      { file: 'empty-password-v4-aeskdf.kdbx', status: 'analysable', details: { emptyPasswordCheck: 'opens' } },
      { file: 'secret-v3.kdbx', details: { emptyPasswordCheck: 'fails' } },
      { file: 'secret-v4-aeskdf.kdbx', details: { emptyPasswordCheck: 'fails' } },
    ],
    invalid: [{ file: 'truncated.kdbx', diagnostics: ['KDBX_HEADER_UNREADABLE'] }],
    ignore: ['make-kdbx.mjs'],
  },
  { framework: { describe, it } },
);
