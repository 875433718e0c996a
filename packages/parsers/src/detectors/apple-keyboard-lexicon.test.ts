import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleKeyboardLexiconDetector } from './apple-keyboard-lexicon.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const lexicon = 'Library/Keyboard/en-dynamic.lm/dynamic-lexicon.dat';

// Written from the observed layout (fixtures/apple-keyboard-lexicon/generate.py); the corpus has two real ones.
testDetector(
  appleKeyboardLexiconDetector,
  {
    fixtures: new URL('../../fixtures/apple-keyboard-lexicon/', import.meta.url),
    valid: [{ file: lexicon, format: 'ios-dynamic-lexicon', status: 'opaque', reasons: ['DYNAMIC_DICTIONARY_HEADER'] }],
    invalid: [{ file: 'notes.txt', name: 'text that starts with the header words' }],
  },
  { framework: { describe, it } },
);

describe('keyboard lexicon through the whole engine', () => {
  it('named and opaque; text with the same words stays text', async () => {
    const items = await scanFixtures('apple-keyboard-lexicon');
    expect(items.get(lexicon)?.format?.id).toBe('ios-dynamic-lexicon');
    expect(items.get(lexicon)?.classification.status).toBe('opaque');
    expect(items.get('notes.txt')?.format?.id).toBe('text');
  });
});
