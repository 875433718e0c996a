import { describe, expect, it } from 'vitest';
import { trailingRunLength, trimEndOf } from './text-ends.js';
import { seededBytes } from './seeded-bytes.test-helper.js';

describe('trailing runs counted from the end', () => {
  it('agrees with the regex it replaces on random strings of a small alphabet', () => {
    const bytes = seededBytes(11, 40_000);
    for (let i = 0; i < bytes.length; i += 40) {
      const text = [...bytes.subarray(i, i + 40)].map((b) => '=\0 a'[b % 4]).join('');
      expect(trimEndOf(text, '=')).toBe(text.replace(/=+$/, ''));
      expect(trimEndOf(text, '\0 ')).toBe(text.replace(/[\0 ]+$/, ''));
      expect(trailingRunLength(text, '=')).toBe(/=*$/.exec(text)![0].length);
    }
  });

  it('a long run that stops short of the end is walked once (the regex was quadratic in its length)', () => {
    const text = '='.repeat(4 * 1024 * 1024) + 'A';
    expect(trailingRunLength(text, '=')).toBe(0);
    expect(trimEndOf(text, '=')).toBe(text);
    expect(trailingRunLength(`${text}==`, '=')).toBe(2);
    expect(trimEndOf('\0\0', '\0')).toBe('');
  });
});
