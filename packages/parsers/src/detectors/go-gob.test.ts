import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { goGobDetector } from './go-gob.js';
import { fixtureBytes, readProbe, wholeFileProbe } from './probe.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

testDetector(
  goGobDetector,
  {
    fixtures: new URL('../../fixtures/go-gob/', import.meta.url),
    valid: [
      {
        file: 'sessions.gob',
        format: 'go-gob',
        status: 'analysable',
        confidence: 0.95,
        reasons: ['GO_GOB_STREAM'],
      },
      { file: 'cases.gob', format: 'go-gob', status: 'analysable', reasons: ['GO_GOB_STREAM'] },
      { file: 'settings.gob', format: 'go-gob', status: 'analysable', reasons: ['GO_GOB_STREAM'] },
    ],
    invalid: [
      { file: 'wrong-id.gob', name: "a definition whose CommonType Id is not its message's id" },
      { file: 'cut.gob', name: 'a whole file that ends inside its second message' },
      { file: 'gen.go', name: 'the generator source (text)' },
    ],
  },
  { framework: { describe, it } },
);

const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 } };
const detect = (probe: Probe) => goGobDetector.detect(probe, ctx) as Detection | undefined;

describe('go-gob walk', () => {
  it('names the types and counts the messages of a stream of struct values', () => {
    const d = detect(wholeFileProbe(fixtureBytes('go-gob', 'sessions.gob'), 'sessions.gob'));
    expect(d?.reasons[0]!.message).toContain('(Session)');
    expect(d?.reasons[0]!.figures).toEqual({ messages: 4, typeDefinitions: 1, values: 3, wholeFile: true });
  });

  it('follows a large value message past the head when the file holds it', () => {
    // sessions.gob's definition, then a value message of 40,000 bytes (count fe 9c 40, the shortest form, as
    // Go writes it): the walk must leave the 16 KiB head inside a message the file holds.
    const base = fixtureBytes('go-gob', 'sessions.gob');
    const defEnd = 1 + base[0]!;
    const payload = 40_000;
    const big = new Uint8Array(defEnd + 3 + payload);
    big.set(base.subarray(0, defEnd));
    big.set([0xfe, (payload >> 8) & 0xff, payload & 0xff], defEnd);
    big.set([0xff, 0x82, 0x01], defEnd + 3); // type 65 (the Session definition), field delta 1
    const d = detect(readProbe(big, 'big.gob'));
    expect(d?.reasons[0]!.figures).toMatchObject({ values: 1, wholeFile: false });
    // The same count one byte past the file: no stream.
    big.set([0xfe, ((payload + 1) >> 8) & 0xff, (payload + 1) & 0xff], defEnd);
    expect(detect(readProbe(big, 'big.gob'))).toBeUndefined();
  });

  it('refuses a value of a type the stream never defined', () => {
    const b = new Uint8Array(fixtureBytes('go-gob', 'sessions.gob'));
    b[1 + b[0]! + 2] = 0x84; // the first value message's type id 65 -> 66
    expect(detect(wholeFileProbe(b, 'x.gob'))).toBeUndefined();
  });

  it('takes no seeded random buffer', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const b = seededBytes(seed, 64 + (seed % 512));
      expect(detect(wholeFileProbe(b, 'r.bin'))).toBeUndefined();
    }
  });

  it('survives 3,000 seeded mutations and truncations of a real stream without throwing', () => {
    const base = fixtureBytes('go-gob', 'cases.gob');
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(base.subarray(0, 1 + (next() % base.length)));
      for (let k = 0; k < 1 + (n % 4); k++) b[next() % b.length] = next() & 0xff;
      expect(() => detect(wholeFileProbe(b, 'm.gob'))).not.toThrow();
    }
  });
});
