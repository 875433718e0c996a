/**
 * The project's own lint rule (eslint-rules/require-error-listener.mjs): a stream, child process or
 * worker created without an 'error' listener (or a consumer that takes its errors) is reported.
 */
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import rule from '../../eslint-rules/require-error-listener.mjs';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } });

tester.run('require-error-listener', rule, {
  valid: [
    // A listener in the same function.
    "import fs from 'node:fs'; function f(p) { const s = fs.createReadStream(p); s.on('error', () => {}); return s; }",
    "import { spawn } from 'node:child_process'; function f() { const c = spawn('x'); c.once('error', console.error); }",
    // Handed to pipeline() or consumed by for await (they take its errors).
    "import zlib from 'node:zlib'; import { pipeline } from 'node:stream'; function f(a, b) { pipeline(a, zlib.createGunzip(), b, () => {}); }",
    "import fs from 'node:fs'; async function f(p) { for await (const c of fs.createReadStream(p)) console.log(c); }",
    "import fs from 'node:fs'; async function f(p) { const s = fs.createReadStream(p); for await (const c of s) console.log(c); }",
    // Not the modules' creators: a local function of the same name.
    'function spawn() {} spawn();',
  ],
  invalid: [
    {
      code: "import fs from 'node:fs'; function f(p) { const s = fs.createWriteStream(p); s.write('x'); }",
      errors: [{ messageId: 'missing' }],
    },
    {
      code: "import zlib from 'node:zlib'; function f(src) { return src.pipe(zlib.createInflateRaw()); }",
      errors: [{ messageId: 'missing' }],
    },
    {
      code: "import { Worker } from 'node:worker_threads'; new Worker('./w.js');",
      errors: [{ messageId: 'missing' }],
    },
    {
      code: "import * as cp from 'node:child_process'; function f() { return cp.fork('./child.js'); }",
      errors: [{ messageId: 'missing' }],
    },
  ],
});
