import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dataStorePreferencesDetector, walkPreferenceMap } from './datastore-preferences.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Encoded by protoc with androidx's published preferences.proto: fixtures/datastore-preferences/generate.sh.
testDetector(
  dataStorePreferencesDetector,
  {
    fixtures: new URL('../../fixtures/datastore-preferences/', import.meta.url),
    valid: [
      {
        // Every Value type: boolean, integer, long, float, double, string, string set, bytes.
        file: 'settings.preferences_pb',
        format: 'datastore-preferences',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['DATASTORE_PREFERENCE_MAP'],
        details: { entries: 8 },
      },
      { file: 'token.preferences_pb', format: 'datastore-preferences', status: 'analysable', details: { entries: 1 } },
      // Larger than the probe's head: the entries it holds.
      { file: 'history.preferences_pb', format: 'datastore-preferences', status: 'analysable' },
      // react-native-keychain 10: Keystore-encrypted credentials in DataStore, under its shared-preferences names.
      {
        file: 'RN_KEYCHAIN.preferences_pb',
        format: 'react-native-keychain-prefs',
        status: 'encrypted',
        reasons: ['RN_KEYCHAIN_ENTRIES'],
        encryption: {
          scheme: 'react-native-keychain-keystoreaesgcm_noauth',
          keyHint: { kind: 'hardware', present: 'no' },
        },
      },
      // A copy stopped mid-entry: the whole entries before the cut.
      {
        file: 'cut.preferences_pb',
        format: 'datastore-preferences',
        status: 'analysable',
        confidence: { max: 0.85 },
      },
    ],
    invalid: [
      // An app's own Proto DataStore schema, and a Value with two fields: protobuf, not a PreferenceMap.
      { file: 'proto-datastore.pb' },
      { file: 'two-values.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('DataStore PreferenceMap walk', () => {
  it('wants each Value field with its own wire type', () => {
    // key "a", Value { boolean: true }
    const entry = [0x0a, 0x07, 0x0a, 0x01, 0x61, 0x12, 0x02, 0x08, 0x01];
    expect(walkPreferenceMap(Uint8Array.from(entry))).toMatchObject({ entries: 1, exact: true });
    // boolean 2 is not a bool
    expect(walkPreferenceMap(Uint8Array.from([...entry.slice(0, 8), 0x02]))).toBeUndefined();
    // field 2 (float) with a varint wire type
    expect(walkPreferenceMap(Uint8Array.from([0x0a, 0x07, 0x0a, 0x01, 0x61, 0x12, 0x02, 0x10, 0x01]))).toBeUndefined();
  });

  it('takes no random bytes, even behind a first entry tag', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const size = 6 + (i % 2000);
      const b = seededBytes(i + 3, size);
      b[0] = 0x0a;
      if (i % 2 === 0) {
        b[1] = Math.min(size - 2, 0x7f);
        b[2] = 0x0a;
      }
      if (dataStorePreferencesDetector.detect(wholeFileProbe(b, `files/datastore/x${i}.preferences_pb`), ctx)) found++;
    }
    expect(found).toBe(0);
  });
});
