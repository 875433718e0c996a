import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { textVaultsDetector } from './text-vaults.js';

testDetector(textVaultsDetector, {
  fixtures: new URL('../../fixtures/text-vaults/', import.meta.url),
  valid: [
    { file: 'secrets.yml', format: 'ansible-vault', status: 'encrypted', confidence: { min: 0.95 }, reasons: ['ANSIBLE_VAULT_HEADER'], encryption: { scheme: 'ansible-vault-aes256', keyHint: { kind: 'password' } } },
    { file: 'prod-secrets.yml', format: 'ansible-vault', status: 'encrypted', reasons: ['ANSIBLE_VAULT_HEADER'] },
    { file: 'secrets.sops.yaml', format: 'sops-yaml', status: 'encrypted', reasons: ['SOPS_ENCRYPTED_VALUES'], encryption: { scope: 'partial' } },
    { file: 'secrets.sops.json', format: 'sops-json', status: 'encrypted', reasons: ['SOPS_ENCRYPTED_VALUES'] },
    { file: 'bitwarden_export.json', format: 'bitwarden-encrypted-json', status: 'encrypted', reasons: ['BITWARDEN_ENCRYPTED_EXPORT'] },
    { file: 'profile.js', format: 'opvault-profile', status: 'encrypted', reasons: ['OPVAULT_PROFILE'] },
  ],
  invalid: [{ file: 'config.yaml' }, { file: 'plain_export.json' }],
}, { framework: { describe, it } });
