import { describe, expect, it } from 'vitest';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

describe('empty detector', () => {
  it('calls a zero-byte file analysable with format empty', async () => {
    const item = (await scanFixtures('empty')).get('zero-bytes.dat')!;
    expect(item.format?.id).toBe('empty');
    expect(item.classification).toMatchObject({ status: 'analysable', certainty: 'certain' });
  });
});
