import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { sfxArchivesParser } from './sfx-archives.js';

// A PE stub from the layout with real 7z and ZIP archives appended (fixtures/sfx-archives/generate.sh).
testParser(
  sfxArchivesParser,
  {
    fixtures: new URL('../../fixtures/sfx-archives/', import.meta.url),
    format: 'pe',
    valid: [
      {
        file: 'setup-7z-locked.exe',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
        details: { archive: 'sevenzip', encrypted: true },
      },
      {
        file: 'setup-zip-locked.exe',
        status: 'encrypted',
        encryption: { scheme: 'zipcrypto' },
        details: { archive: 'zip', encrypted: true },
      },
      { file: 'setup-rar-locked.exe', status: 'encrypted', details: { archive: 'rar', encrypted: true } },
      { file: 'setup-7z-plain.exe', details: { archive: 'sevenzip', encrypted: false } },
      { file: 'stub-with-text.exe', details: { archive: 'none found' } },
      {
        file: 'setup-pgp-sda.exe',
        status: 'encrypted',
        encryption: { scheme: 'pgp-sda', keyHint: { kind: 'password' } },
        details: { archive: 'pgp-sda', encrypted: true },
      },
      { file: 'pgpsda-trailer-too-long.exe', details: { archive: 'none found' } },
      {
        file: 'setup-ace-locked.exe',
        status: 'encrypted',
        encryption: { scheme: 'ace-blowfish', keyHint: { kind: 'password' } },
        details: { archive: 'ace', encrypted: true },
      },
      { file: 'setup-lha.exe', details: { archive: 'lha', encrypted: false } },
      {
        file: 'setup-stuffit-locked.exe',
        status: 'encrypted',
        encryption: { scheme: 'stuffit5-password', keyHint: { kind: 'password' } },
        details: { archive: 'stuffit', encrypted: true },
      },
      // An ARJ magic and an LHA method id with no header that checks behind them.
      { file: 'stub-with-weak-magic.exe', details: { archive: 'none found' } },
    ],
    invalid: [{ file: 'truncated-7z.exe', diagnostics: ['SFX_PAYLOAD_UNREADABLE'] }],
    ignore: ['*.elf'],
  },
  { framework: { describe, it } },
);

// An ELF program built by gcc with 7z archives appended, as p7zip's 7z -sfx does (fixtures/sfx-archives/generate.sh).
testParser(
  sfxArchivesParser,
  {
    fixtures: new URL('../../fixtures/sfx-archives/', import.meta.url),
    format: 'elf',
    valid: [
      {
        file: 'setup-7z-locked.elf',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
        details: { archive: 'sevenzip', encrypted: true },
      },
      { file: 'setup-7z-plain.elf', details: { archive: 'sevenzip', encrypted: false } },
      // Debian's arj -je: its own ELF extractor with the archive appended; -g garbles the entries.
      {
        file: 'setup-arj-garbled.elf',
        status: 'encrypted',
        encryption: { scheme: 'arj-garble', keyHint: { kind: 'password' } },
        details: { archive: 'arj', encrypted: true },
      },
      { file: 'setup-arj-plain.elf', details: { archive: 'arj', encrypted: false } },
      { file: 'stub-with-text.elf', details: { archive: 'none found' } },
    ],
    invalid: [{ file: 'truncated-7z.elf', diagnostics: ['SFX_PAYLOAD_UNREADABLE'] }],
    ignore: ['*.exe'],
  },
  { framework: { describe, it } },
);
