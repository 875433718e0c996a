// Writes packages/core/manifest.schema.json from the zod model (run `pnpm schema`).
import fs from 'node:fs';
import { manifestJsonSchema } from '../dist/index.js';

const out = new URL('../manifest.schema.json', import.meta.url);
fs.writeFileSync(out, JSON.stringify(manifestJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
