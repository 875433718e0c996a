import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lastpassDetector } from './lastpass.js';

// Written from the published chunk layout with real AES-256-CBC fields: fixtures/lastpass/generate.sh.
testDetector(
  lastpassDetector,
  {
    fixtures: new URL('../../fixtures/lastpass/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/vault-lf.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        reasons: ['LASTPASS_VAULT_CHUNKS', 'TRAILING_DATA'],
      },
      {
        file: 'appended/vault-nul.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        reasons: ['LASTPASS_VAULT_CHUNKS', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/vault-text2k.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        reasons: ['LASTPASS_VAULT_CHUNKS', 'TRAILING_DATA'],
      },
      {
        file: 'appended/vault-zpad4k.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        reasons: ['LASTPASS_VAULT_CHUNKS', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'vault.blob',
        format: 'lastpass-vault',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['LASTPASS_VAULT_CHUNKS'],
        encryption: { scheme: 'lastpass-aes-256', scope: 'partial', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/vault-cut.blob' },
      { file: 'lpav-junk.bin' },
      { file: 'lpav-text.txt' },
    ],
  },
  { framework: { describe, it } },
);
