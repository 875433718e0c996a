import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsVaultDetector } from './windows-vault.js';

// Written from impacket's and mimikatz's published layouts (fixtures/windows-vault/generate.sh).
testDetector(
  windowsVaultDetector,
  {
    fixtures: new URL('../../fixtures/windows-vault/', import.meta.url),
    valid: [
      {
        file: 'Policy.vpol',
        format: 'windows-vault-policy',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['WINDOWS_VAULT_POLICY'],
        encryption: {
          scheme: 'dpapi',
          keyHint: {
            kind: 'key-file',
            lookFor: [
              '**/Protect/S-1-*/3e0e4a2c-8f1d-4b6a-9c55-0d2f7b1e9a44',
              '**/Protect/S-1-5-18/**/3e0e4a2c-8f1d-4b6a-9c55-0d2f7b1e9a44',
            ],
          },
        },
      },
      {
        file: '2F6A8C1B9D3E4F5061728394A5B6C7D8E9F00112.vcrd',
        format: 'windows-vault-credential',
        status: 'encrypted',
        reasons: ['WINDOWS_VAULT_CREDENTIAL'],
        encryption: { scheme: 'windows-vault-aes', scope: 'partial', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'Protect/S-1-5-21-1004336348-1177238915-682003330-1001/Preferred',
        format: 'dpapi-preferred',
        status: 'analysable',
        reasons: ['DPAPI_PREFERRED'],
      },
    ],
    invalid: [
      { file: 'random/Preferred', name: '24 random bytes named Preferred: no version-4 GUID, no plausible expiry' },
      { file: 'notvault.vpol', name: 'version 1, a GUID and a description, but no DPAPI blob where the key is' },
      { file: 'cut.vcrd', name: 'a vcrd whose attribute map points past the end of the file' },
      { file: 'generate.sh', name: 'the generator script (text)' },
    ],
  },
  { framework: { describe, it } },
);
