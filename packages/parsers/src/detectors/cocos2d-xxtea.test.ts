import { describe, it } from 'vitest';
import fs from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { cocos2dXxteaDetector } from './cocos2d-xxtea.js';

const locked = (file: string, min: number) => ({
  file,
  format: 'cocos2d-xxtea',
  status: 'encrypted' as const,
  confidence: { min },
  reasons: ['COCOS_XXTEA_BODY'],
  encryption: { scheme: 'xxtea', keyHint: { kind: 'key-file' as const } },
});

testDetector(
  cocos2dXxteaDetector,
  {
    fixtures: new URL('../../fixtures/cocos2d-xxtea/', import.meta.url),
    valid: [locked('main.luac', 0.9), locked('app.jsc', 0.8), locked('game.jsc', 0.8)],
    // Clear Lua bytecode, a .jsc of text and the default sign before clear text are not ciphertext.
    invalid: [{ file: 'plain.luac' }, { file: 'text.jsc' }, { file: 'clear.luac' }],
  },
  { framework: { describe, it } },
);

describe('cocos2d-xxtea on damaged input', () => {
  const dir = new URL('../../fixtures/cocos2d-xxtea/', import.meta.url);
  const seeds = ['main.luac', 'app.jsc', 'game.jsc'].map(
    (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, dir)))] as const,
  );
  fuzzFlipCutGrow(cocos2dXxteaDetector, seeds, 100, { wholeHalf: true });
});
