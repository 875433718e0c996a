import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gameArchivesDetector } from './game-archives.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { damagedFixtureCopies, wholeFileProbe } from './probe.test-helper.js';

// Fixtures: ../../fixtures/game-archives/ (generate.sh: godot3.pck by Godot 3.2.3's --export-pack, the rest from
// the published layouts by make-layouts.py).

testDetector(
  gameArchivesDetector,
  {
    fixtures: new URL('../../fixtures/game-archives/', import.meta.url),
    valid: [
      { file: 'game.pak', format: 'unreal-pak', status: 'opaque', reasons: ['UNREAL_PAK_FOOTER'] },
      {
        file: 'locked.pak',
        format: 'unreal-pak-encrypted',
        status: 'encrypted',
        reasons: ['UNREAL_PAK_ENCRYPTED_INDEX'],
      },
      { file: 'godot3.pck', format: 'godot-pck', status: 'opaque', reasons: ['GODOT_PCK_DIRECTORY'] },
      {
        file: 'godot4-locked.pck',
        format: 'godot-pck-encrypted',
        status: 'encrypted',
        reasons: ['GODOT_PCK_ENCRYPTED_DIRECTORY'],
      },
      { file: 'archive.rpa', format: 'renpy-rpa', status: 'opaque', reasons: ['RENPY_RPA_HEADER'] },
      { file: 'Game.rgssad', format: 'rpg-maker-rgss-archive', status: 'opaque', reasons: ['RGSS_ARCHIVE_ENTRY'] },
      { file: 'Game.rgss3a', format: 'rpg-maker-rgss-archive', status: 'opaque', reasons: ['RGSS_ARCHIVE_ENTRY'] },
      { file: 'Actor1.rpgmvp', format: 'rpg-maker-mv-asset', status: 'opaque', reasons: ['RPGMV_HEADER'] },
      { file: 'data.win', format: 'gamemaker-data', status: 'opaque', reasons: ['GAMEMAKER_FORM_CHUNKS'] },
      { file: 'Game-Android.utoc', format: 'unreal-iostore-toc', status: 'opaque', reasons: ['UTOC_HEADER'] },
      {
        file: 'Locked-Android.utoc',
        format: 'unreal-iostore-toc-encrypted',
        status: 'encrypted',
        reasons: ['UTOC_ENCRYPTED_CONTAINER'],
      },
      { file: 'sound.fsb', format: 'fmod-fsb5', status: 'opaque', reasons: ['FSB5_BANKS'] },
      { file: 'level0.resource', format: 'fmod-fsb5', status: 'opaque', reasons: ['FSB5_BANKS'] },
    ],
    invalid: [
      { file: 'not-pak.bin', name: 'a pak footer whose index would run past the file' },
      { file: 'not-gdpc.txt', name: 'a text that starts GDPC' },
    ],
  },
  { framework: { describe, it } },
);

describe('game archives through the whole engine', () => {
  it('are named by their structure, and only the keyed variants are encrypted', async () => {
    const items = await scanFixtures('game-archives');
    const status = (file: string) => [items.get(file)!.format?.id, items.get(file)!.classification.status];
    // XOR-obfuscated with a key from the file itself: not encrypted (the statistics called it encrypted before).
    expect(status('Game.rgssad')).toEqual(['rpg-maker-rgss-archive', 'opaque']);
    // A FORM whose first chunk is GEN8 is GameMaker's, not an AIFF.
    expect(status('data.win')).toEqual(['gamemaker-data', 'opaque']);
    expect(status('locked.pak')).toEqual(['unreal-pak-encrypted', 'encrypted']);
    expect(items.get('locked.pak')!.encryption?.keyHint?.description).toMatch(/compiled into its executable/);
    expect(status('godot4-locked.pck')).toEqual(['godot-pck-encrypted', 'encrypted']);
    expect(status('godot3.pck')).toEqual(['godot-pck', 'opaque']);
    // Unity's audio stream: two banks chained (the second aligned), not ciphertext.
    expect(items.get('level0.resource')!.classification.reasons[0]?.figures).toMatchObject({ banks: 2, samples: 3 });
    for (const file of ['not-pak.bin', 'not-gdpc.txt'])
      expect(items.get(file)!.classification.status, file).not.toBe('encrypted');
  });
});

describe('gameArchivesDetector on damaged input', () => {
  it('never throw on truncated or bit-flipped copies of every fixture', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 } };
    let tried = 0;
    for (const [name, copy] of damagedFixtureCopies(new URL('../../fixtures/game-archives/', import.meta.url))) {
      expect(() => gameArchivesDetector.detect(wholeFileProbe(copy, name), ctx)).not.toThrow();
      tried++;
    }
    expect(tried).toBeGreaterThan(1000);
  });
});
