import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { delphiFormDetector } from './delphi-form.js';

// A form from libmng's Kylix viewer and two near misses made from it (fixtures/delphi-form/generate.sh).
const fixtures = new URL('../../fixtures/delphi-form/', import.meta.url);
const form = fs.readFileSync(new URL('mngview-main.dfm', fixtures));

testDetector(
  delphiFormDetector,
  {
    fixtures,
    valid: [{ file: 'mngview-main.dfm', format: 'delphi-form', status: 'analysable', reasons: ['DELPHI_FORM'] }],
    invalid: [
      { file: 'length-past-end.bin', name: 'a resource whose length does not end the file' },
      { file: 'no-filer-signature.bin', name: 'a resource whose data is not a "TPF0" component stream' },
    ],
  },
  { framework: { describe, it } },
);

describe('Delphi form fields', () => {
  it('names the resource and the form class the stream opens with', async () => {
    const d = (await delphiFormDetector.detect(wholeFileProbe(form, 'Main.dfm'), { limits: {} as never })) as Detection;
    expect(d.reasons[0]?.figures).toEqual({
      resourceName: 'TMAINFORM',
      formClass: 'TMainForm',
      bytes: form.length - 19,
    });
  });
});

describe('fuzz: delphiFormDetector', () => {
  fuzzFlipCutGrow(delphiFormDetector, [['Main.dfm', form] as const], 10, { wholeHalf: true });
});
