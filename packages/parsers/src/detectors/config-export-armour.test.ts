import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { configExportArmourDetector } from './config-export-armour.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/config-export-armour/', import.meta.url);

// Made with openssl as pfSense's crypt.inc and OPNsense's Backup code do: fixtures/config-export-armour/generate.sh.
testDetector(
  configExportArmourDetector,
  {
    fixtures,
    valid: [
      {
        file: 'config-pfsense-encrypted.xml',
        format: 'firewall-config-encrypted',
        status: 'encrypted',
        reasons: ['FIREWALL_CONFIG_ARMOUR'],
        encryption: { scheme: 'openssl-enc-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'config-opnsense-encrypted.xml',
        format: 'firewall-config-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'openssl-enc-aes-256-cbc' },
      },
    ],
    invalid: [
      { file: 'armour-plain-base64.xml', name: 'the armour around base64 of the plain XML (no Salted__)' },
      { file: 'config.xml', name: 'a plain config.xml' },
    ],
  },
  { framework: { describe, it } },
);

describe('config-export-armour on damaged exports', () => {
  fuzzFlipCutGrow(
    configExportArmourDetector,
    ['config-pfsense-encrypted.xml', 'config-opnsense-encrypted.xml'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
    { wholeHalf: true },
  );
});
