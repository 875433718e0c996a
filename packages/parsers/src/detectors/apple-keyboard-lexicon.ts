/**
 * The iOS keyboard's dynamic lexicon (`Library/Keyboard/<lang>-dynamic.lm/
 * dynamic-lexicon.dat`): the words the keyboard learned from what the user
 * typed, in Apple's private binary layout: the ASCII header
 * "DynamicDictionary-<version>" and NUL, then records of flag and count bytes
 * and NUL-terminated words. Opaque (the corpus labels it `ios-dynamic-lexicon`):
 * no general reader, though the words show in a strings dump.
 * Reference: the shared corpus's real files (iOS 15, 16) and iLEAPP's
 * keyboard lexicon parser (which reads the words between the records); the
 * fixture is written from that layout (fixtures/apple-keyboard-lexicon/generate.py).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const HEADER = 'DynamicDictionary-';

export const appleKeyboardLexiconDetector = defineDetector({
  meta: {
    id: 'apple-keyboard-lexicon',
    version: '1.0.0',
    title: 'iOS keyboard dynamic lexicon (DynamicDictionary)',
    formats: [
      {
        id: 'ios-dynamic-lexicon',
        name: 'iOS keyboard dynamic lexicon',
        status: 'opaque',
        how: 'header-field',
        extensions: ['dat'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: HEADER }],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = /^\d{1,3}\0/.exec(ascii(h, HEADER.length, HEADER.length + 4));
    if (!version) return undefined;
    const number = version[0].slice(0, -1);
    return plain('opaque', {
      id: 'ios-dynamic-lexicon',
      name: 'iOS keyboard dynamic lexicon',
      confidence: 0.9,
      code: 'DYNAMIC_DICTIONARY_HEADER',
      message: `"DynamicDictionary-${number}" and NUL: the words the iOS keyboard learned from the user's typing, in Apple's private record layout (a strings dump shows them).`,
      figures: { version: Number(number) },
    });
  },
});
