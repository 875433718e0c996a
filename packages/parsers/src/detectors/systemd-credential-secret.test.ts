import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { systemdCredentialSecretDetector } from './systemd-credential-secret.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/systemd-credential-secret/', import.meta.url);
const hostSecret = 'var/lib/systemd/credential.secret';

// Made by systemd-creds 252 setup (fixtures/systemd-credential-secret/generate.sh).
testDetector(
  systemdCredentialSecretDetector,
  {
    fixtures,
    valid: [
      {
        file: hostSecret,
        format: 'systemd-credential-host-secret',
        status: 'opaque',
        reasons: ['SYSTEMD_CREDENTIAL_HOST_SECRET'],
      },
    ],
    invalid: [{ file: 'credential.secret.bak', name: 'the same bytes elsewhere (the path decides)' }],
  },
  { framework: { describe, it } },
);

describe('systemd credential host key through the whole engine', () => {
  it('names the key at its path, never encrypted', async () => {
    const items = await scanFixtures('systemd-credential-secret');
    expect(items.get(hostSecret)?.format?.id).toBe('systemd-credential-host-secret');
    for (const item of items.values()) expect(item.classification.status, item.path).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: systemd-credential-secret', () => {
  // Only uncut copies can pass (the size is exact): a couple of the 2,000.
  fuzzFlipCutGrow(systemdCredentialSecretDetector, [[hostSecret, fs.readFileSync(new URL(hostSecret, fixtures))]], 0);
});
