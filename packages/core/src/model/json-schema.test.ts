import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from './json-schema.js';

describe('manifest JSON Schema', () => {
  it('matches the checked-in packages/core/manifest.schema.json (run `pnpm schema` after changing the model)', () => {
    const checkedIn = JSON.parse(
      fs.readFileSync(new URL('../../manifest.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(manifestJsonSchema())));
  });
});
