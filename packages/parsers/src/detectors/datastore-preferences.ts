/**
 * Jetpack DataStore preferences (`files/datastore/<name>.preferences_pb`): the
 * successor of SharedPreferences, which Flutter's shared_preferences (2.3 on),
 * react-native-keychain (10 on) and most current Android apps write. The file
 * is one protobuf message of a fixed, published schema, so it is readable
 * without the app's help (a schema-less protobuf would be opaque):
 *
 *   message PreferenceMap { map<string, Value> preferences = 1; }
 *   message Value { oneof value { bool boolean = 1; float float = 2; int32 integer = 3;
 *     int64 long = 4; string string = 5; StringSet string_set = 6; double double = 7;
 *     bytes bytes = 8; } }
 *   message StringSet { repeated string strings = 1; }
 *
 * On the wire: entries `0a <len>`, each `0a <len> key` then `12 <len> Value`,
 * the Value one field of the oneof with its wire type. The walk must consume
 * the file exactly (or, over a head, reach its end with several entries).
 * The entries then go through app-secure-storage's checks: react-native-keychain
 * 10 keeps its Keystore-encrypted credentials in `RN_KEYCHAIN.preferences_pb`
 * under the same names as in its shared preferences.
 * Reference: androidx datastore/datastore-preferences-proto/src/main/proto/preferences.proto.
 */
import { isUtf8 } from 'node:buffer';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { APP_SECURE_STORAGE_FORMATS, secureStorageEntries } from './app-secure-storage.js';
import { plain, varint } from './util.js';

/** Secure-storage libraries that write DataStore (react-native-keychain 10's DataStorePrefsStorage). */
const IN_DATASTORE = new Set(['react-native-keychain-prefs']);

/** The wire type each Value field must have: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
const VALUE_WIRE: Record<number, number> = { 1: 0, 2: 5, 3: 0, 4: 0, 5: 2, 6: 2, 7: 1, 8: 2 };
const TYPES = ['', 'boolean', 'float', 'integer', 'long', 'string', 'string_set', 'double', 'bytes'];

/** A length-delimited field `tag <len> bytes` at `at`: [start, end] of its bytes. */
function delimited(b: Uint8Array, at: number, tag: number, limit: number): [number, number] | undefined {
  if (b[at] !== tag) return undefined;
  const len = varint(b, at + 1);
  if (!len || len[1] + len[0] > limit) return undefined;
  return [len[1], len[1] + len[0]];
}

function utf8Text(b: Uint8Array): boolean {
  return isUtf8(b) && !b.some((c) => c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d);
}

/** The Value message in b[start, end): its one field's number, or undefined. */
function value(b: Uint8Array, start: number, end: number): number | undefined {
  if (start === end) return undefined;
  const key = varint(b, start);
  if (!key) return undefined;
  const field = Math.floor(key[0] / 8);
  const wire = key[0] % 8;
  if (VALUE_WIRE[field] !== wire) return undefined;
  let at = key[1];
  if (wire === 0) {
    const v = varint(b, at);
    if (!v || (field === 1 && v[0] > 1)) return undefined;
    at = v[1];
  } else if (wire === 5) at += 4;
  else if (wire === 1) at += 8;
  else {
    const len = varint(b, at);
    if (!len || len[1] + len[0] > end) return undefined;
    const inner = b.subarray(len[1], len[1] + len[0]);
    if (field === 5 && !isUtf8(inner)) return undefined;
    if (field === 6) {
      // StringSet: repeated field 1, UTF-8.
      let s = len[1];
      while (s < len[1] + len[0]) {
        const str = delimited(b, s, 0x0a, len[1] + len[0]);
        if (!str || !isUtf8(b.subarray(str[0], str[1]))) return undefined;
        s = str[1];
      }
    }
    at = len[1] + len[0];
  }
  return at === end ? field : undefined;
}

export interface DataStoreWalk {
  entries: number;
  keys: string[];
  types: Set<string>;
  /** String entries (key, value) and the keys of boolean entries, for the secure-storage checks. */
  strings: Array<[string, string]>;
  booleans: Set<string>;
  /** The walk reached the end of the bytes given on an entry boundary. */
  exact: boolean;
}

/** Walks PreferenceMap entries from offset 0; undefined at the first that is not one. */
export function walkPreferenceMap(b: Uint8Array, maxEntries = 10000): DataStoreWalk | undefined {
  const keys: string[] = [];
  const types = new Set<string>();
  const strings: Array<[string, string]> = [];
  const booleans = new Set<string>();
  let at = 0;
  let entries = 0;
  while (at < b.length && entries < maxEntries) {
    if (b[at] !== 0x0a) return undefined;
    const len = varint(b, at + 1);
    // An entry that runs past the bytes given: the head of a larger file, or a cut one.
    if (!len || len[1] + len[0] > b.length) return { entries, keys, types, strings, booleans, exact: false };
    const start = len[1];
    const end = len[1] + len[0];
    const k = delimited(b, start, 0x0a, end);
    if (!k || k[1] === k[0] || !utf8Text(b.subarray(k[0], k[1]))) return undefined;
    const v = delimited(b, k[1], 0x12, end);
    if (!v || v[1] !== end) return undefined;
    const field = value(b, v[0], v[1]);
    if (field === undefined) return undefined;
    const name = Buffer.from(b.subarray(k[0], k[1])).toString('utf8');
    if (keys.length < 8) keys.push(name);
    types.add(TYPES[field] ?? '');
    if (field === 1) booleans.add(name);
    if (field === 5 && strings.length < 2000) {
      const text = varint(b, v[0] + 1);
      if (text) strings.push([name, Buffer.from(b.subarray(text[1], v[1])).toString('utf8')]);
    }
    entries++;
    at = end;
  }
  return { entries, keys, types, strings, booleans, exact: at === b.length };
}

export function detectDataStorePreferences(probe: Probe): Detection | undefined {
  const b = probe.complete ? probe.head.subarray(0, probe.size) : probe.head;
  if (b[0] !== 0x0a) return undefined;
  const walk = walkPreferenceMap(b);
  if (!walk || walk.entries === 0) return undefined;
  // A whole file ends on an entry; a head, or a copy cut mid-entry, must hold several whole entries.
  const whole = probe.complete && walk.exact;
  if (!whole && walk.entries < 3) return undefined;
  const secure = secureStorageEntries(walk.strings, walk.booleans);
  if (secure && IN_DATASTORE.has(secure.format.id)) return secure;
  const types = [...walk.types].join(', ');
  return plain('analysable', {
    id: 'datastore-preferences',
    name: 'Jetpack DataStore preferences',
    confidence: whole ? 0.95 : 0.85,
    code: 'DATASTORE_PREFERENCE_MAP',
    message: `${walk.entries} DataStore preference entr${walk.entries === 1 ? 'y' : 'ies'} (${types}; keys ${walk.keys.join(', ')}) ${whole ? 'that make up the whole file' : probe.complete ? 'before the file stops mid-entry (cut short)' : 'in the bytes read'}: a PreferenceMap of androidx's published schema, readable.`,
    figures: { entries: walk.entries, types },
    details: { entries: walk.entries },
  });
}

export const dataStorePreferencesDetector = defineDetector({
  meta: {
    id: 'datastore-preferences',
    version: '1.0.0',
    title: 'Jetpack DataStore preferences (.preferences_pb)',
    formats: [
      {
        id: 'datastore-preferences',
        name: 'Jetpack DataStore preferences',
        status: 'analysable',
        how: 'structure',
        extensions: ['preferences_pb'],
      },
      // The secure-storage library known to keep its entries in DataStore.
      ...APP_SECURE_STORAGE_FORMATS.filter((f) => IN_DATASTORE.has(f.id)),
    ],
  },
  minSize: 6,
  fallback: true,
  priority: 30,
  detect: detectDataStorePreferences,
});
