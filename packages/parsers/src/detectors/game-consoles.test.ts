import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gameConsolesDetector } from './game-consoles.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const switchKeys = { kind: 'key-file', present: 'unknown' } as const;

testDetector(
  gameConsolesDetector,
  {
    fixtures: new URL('../../fixtures/game-consoles/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/game-lf.cia',
        format: 'nintendo-3ds-cia',
        status: 'encrypted',
        reasons: ['N3DS_CIA_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'appended/game-nul.cia',
        format: 'nintendo-3ds-cia',
        status: 'encrypted',
        reasons: ['N3DS_CIA_ENCRYPTED', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/game-text2k.cia',
        format: 'nintendo-3ds-cia',
        status: 'encrypted',
        reasons: ['N3DS_CIA_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'appended/game-zpad4k.cia',
        format: 'nintendo-3ds-cia',
        status: 'encrypted',
        reasons: ['N3DS_CIA_ENCRYPTED', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'game.nsp',
        format: 'nintendo-switch-nsp',
        status: 'encrypted',
        reasons: ['SWITCH_PFS0_NCAS'],
        encryption: { scheme: 'nintendo-switch-nca', keyHint: switchKeys },
      },
      { file: 'exefs.pfs0', format: 'nintendo-switch-pfs0', status: 'analysable', reasons: ['SWITCH_PFS0_PLAIN'] },
      {
        file: 'game.xci',
        format: 'nintendo-switch-xci',
        status: 'encrypted',
        reasons: ['SWITCH_XCI_HEADER'],
        encryption: { scheme: 'nintendo-switch-nca', keyHint: switchKeys },
      },
      {
        file: 'game_keyarea.xci',
        format: 'nintendo-switch-xci',
        status: 'encrypted',
        reasons: ['SWITCH_XCI_HEADER'],
      },
      {
        file: 'game.cia',
        format: 'nintendo-3ds-cia',
        status: 'encrypted',
        reasons: ['N3DS_CIA_ENCRYPTED'],
        encryption: { scheme: 'nintendo-3ds-cia-title-key', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      {
        file: 'game_decrypted.cia',
        format: 'nintendo-3ds-cia-decrypted',
        status: 'analysable',
        reasons: ['N3DS_CIA_PLAIN'],
      },
      { file: 'EBOOT.PBP', format: 'psp-pbp', status: 'analysable', reasons: ['PSP_PBP_HEADER'] },
      {
        file: 'npdrm_EBOOT.PBP',
        format: 'psp-pbp-npdrm',
        status: 'encrypted',
        reasons: ['PSP_PBP_NPDRM'],
        encryption: { scheme: 'playstation-npdrm', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      { file: 'EBOOT_retail.BIN', format: 'ps3-self', status: 'analysable', reasons: ['PS3_SELF_HEADER'] },
      { file: 'EBOOT_fself.BIN', format: 'ps3-self', status: 'analysable', reasons: ['PS3_SELF_HEADER'] },
      {
        file: 'EBOOT_npdrm.BIN',
        format: 'ps3-self-npdrm',
        status: 'encrypted',
        reasons: ['PS3_SELF_NPDRM'],
        encryption: { scheme: 'playstation-npdrm', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      { file: 'hello.nro', format: 'nintendo-switch-nro', status: 'analysable', reasons: ['SWITCH_NRO_HEADER'] },
      {
        file: 'game_encrypted.cxi',
        format: 'nintendo-3ds-ncch',
        status: 'encrypted',
        reasons: ['N3DS_NCCH_ENCRYPTED'],
        encryption: { scheme: 'nintendo-3ds-ncch-aes-ctr', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      {
        file: 'game_decrypted.cxi',
        format: 'nintendo-3ds-ncch-decrypted',
        status: 'analysable',
        reasons: ['N3DS_NCCH_NOCRYPTO'],
      },
      {
        file: 'game_fixedkey.cxi',
        format: 'nintendo-3ds-ncch-decrypted',
        status: 'analysable',
        reasons: ['N3DS_NCCH_FIXED_KEY'],
      },
      { file: 'game.3ds', format: 'nintendo-3ds-cci', status: 'encrypted', reasons: ['N3DS_NCCH_ENCRYPTED'] },
      {
        file: 'game_decrypted.3ds',
        format: 'nintendo-3ds-cci-decrypted',
        status: 'analysable',
        reasons: ['N3DS_NCCH_NOCRYPTO'],
      },
      {
        file: 'retail.pkg',
        format: 'playstation-pkg',
        status: 'encrypted',
        reasons: ['PS_PKG_RETAIL'],
        encryption: { scheme: 'playstation-npdrm', keyHint: { kind: 'key-file', present: 'unknown' } },
      },
      { file: 'vita_retail.pkg', format: 'playstation-pkg', status: 'encrypted', reasons: ['PS_PKG_RETAIL'] },
      { file: 'debug.pkg', format: 'playstation-pkg-debug', status: 'opaque', reasons: ['PS_PKG_DEBUG'] },
      {
        file: 'game_ps4.pkg',
        format: 'playstation4-pkg',
        status: 'encrypted',
        reasons: ['PS4_PKG_HEADER'],
        encryption: { scheme: 'playstation4-pfs', keyHint: { kind: 'hardware', present: 'unknown' } },
      },
      {
        file: 'game_gc.iso',
        format: 'nintendo-gamecube-disc',
        status: 'analysable',
        reasons: ['NINTENDO_DISC_HEADER'],
      },
      { file: 'game_wii.iso', format: 'nintendo-wii-disc', status: 'analysable', reasons: ['NINTENDO_DISC_HEADER'] },
      { file: 'game.wbfs', format: 'nintendo-wbfs', status: 'analysable', reasons: ['WBFS_HEADER'] },
      { file: 'game.rvz', format: 'dolphin-wia-rvz', status: 'analysable', reasons: ['DOLPHIN_WIA_RVZ_HEADER'] },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/game-binary.cia' },
      { file: 'nsp_table_past_end.nsp', name: 'a PFS0 whose file table runs past the file' },
      { file: 'xci_partition_past_end.xci', name: 'an XCI whose root partition table lies past the file' },
      { file: 'ncch_content_past_end.cxi', name: 'an NCCH whose content size runs past the file' },
      { file: 'game_large.3ds', name: "an NCSD whose partition 0 header lies beyond the probe's bytes" },
      { file: 'default_encrypted.xex', name: 'an Xbox 360 XEX2 (libmagic names it)' },
      { file: 'savegame.stfs', name: 'an Xbox 360 STFS package (libmagic names it: signed, not encrypted)' },
      { file: 'default_plain.xex', name: 'an Xbox 360 XEX2 without encryption (libmagic names it)' },
    ],
  },
  { framework: { describe, it } },
);

describe('game console files through the whole engine', () => {
  it('names each by its header, not by the statistics over its ciphertext, junk or compressed body', async () => {
    const items = await scanFixtures('game-consoles');
    expect(items.get('game.nsp')?.classification.status).toBe('encrypted');
    expect(items.get('retail.pkg')?.format?.id).toBe('playstation-pkg');
    expect(items.get('hello.nro')?.classification.status).toBe('analysable');
    expect(items.get('game_wii.iso')?.format?.id).toBe('nintendo-wii-disc');
    expect(items.get('game_gc.iso')?.classification.status).toBe('analysable');
    expect(items.get('game.wbfs')?.classification.status).toBe('analysable');
    // The Xbox 360 retail XEX key is published in Xenia's source: libmagic's analysable stands, encrypted or not.
    expect(items.get('default_encrypted.xex')?.format?.id).toBe('xbox360-executable');
    expect(items.get('default_plain.xex')?.classification.status).toBe('analysable');
    expect(items.get('savegame.stfs')?.classification.status).toBe('analysable');
    expect(items.get('EBOOT.PBP')?.classification.status).toBe('analysable');
    // A big NCSD whose partition 0 flags were not read: libmagic names it, nothing claims a status it did not see.
    expect(items.get('game_large.3ds')?.classification.status).toBe('analysable');
  });
});

describe('game-consoles mutation fuzz', () => {
  const fixtures = new URL('../../fixtures/game-consoles/', import.meta.url);
  const seeds = [
    'game.nsp',
    'game.xci',
    'hello.nro',
    'game_encrypted.cxi',
    'game.3ds',
    'retail.pkg',
    'game_ps4.pkg',
    'game_wii.iso',
    'game.wbfs',
    'game.rvz',
  ].map((name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const);
  fuzzFlipCutGrow(gameConsolesDetector, seeds, 100, { wholeHalf: true });
});
