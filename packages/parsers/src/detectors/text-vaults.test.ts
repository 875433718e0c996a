import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { textVaultsDetector } from './text-vaults.js';

testDetector(
  textVaultsDetector,
  {
    fixtures: new URL('../../fixtures/text-vaults/', import.meta.url),
    valid: [
      {
        file: 'secrets.yml',
        format: 'ansible-vault',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ANSIBLE_VAULT_HEADER'],
        encryption: { scheme: 'ansible-vault-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'prod-secrets.yml', format: 'ansible-vault', status: 'encrypted', reasons: ['ANSIBLE_VAULT_HEADER'] },
      {
        file: 'secrets.sops.yaml',
        format: 'sops-yaml',
        status: 'encrypted',
        reasons: ['SOPS_ENCRYPTED_VALUES'],
        encryption: { scope: 'partial' },
      },
      { file: 'secrets.sops.json', format: 'sops-json', status: 'encrypted', reasons: ['SOPS_ENCRYPTED_VALUES'] },
      {
        file: 'bitwarden_export.json',
        format: 'bitwarden-encrypted-json',
        status: 'encrypted',
        reasons: ['BITWARDEN_ENCRYPTED_EXPORT'],
      },
      { file: 'profile.js', format: 'opvault-profile', status: 'encrypted', reasons: ['OPVAULT_PROFILE'] },
      // JSON/XML wallets and key files (json-vaults.ts): gocryptfs, restic and EncFS files come from the tools themselves.
      {
        file: 'gocryptfs.conf',
        format: 'gocryptfs-conf',
        status: 'encrypted',
        confidence: { min: 0.96 },
        reasons: ['GOCRYPTFS_CONF'],
        encryption: { scheme: 'gocryptfs-scrypt', keyHint: { kind: 'password' } },
      },
      { file: 'restic-key', format: 'restic-key', status: 'encrypted', reasons: ['RESTIC_KEY_FILE'] },
      { file: '.encfs6.xml', format: 'encfs-config', status: 'encrypted', reasons: ['ENCFS_ENCODED_KEY'] },
      {
        file: 'UTC--2024-01-01T00-00-00.000Z--keystore.json',
        format: 'ethereum-keystore',
        status: 'encrypted',
        reasons: ['ETHEREUM_KEYSTORE_V3'],
        encryption: { scheme: 'ethereum-keystore-scrypt' },
      },
      {
        file: 'electrum_wallet',
        format: 'electrum-wallet-encrypted',
        status: 'encrypted',
        reasons: ['ELECTRUM_USE_ENCRYPTION'],
        encryption: { scope: 'partial' },
      },
      {
        file: 'electrum_wallet_bie1',
        format: 'electrum-wallet-encrypted',
        status: 'encrypted',
        reasons: ['ELECTRUM_BIE1'],
      },
      {
        file: 'wallet.aes.json',
        format: 'blockchain-wallet',
        status: 'encrypted',
        reasons: ['BLOCKCHAIN_WALLET_PAYLOAD'],
      },
      {
        file: 'encryptionKeys.js',
        format: 'agilekeychain-keys',
        status: 'encrypted',
        reasons: ['AGILE_KEYCHAIN_KEYS'],
      },
      { file: 'data.json', format: 'bitwarden-data-json', status: 'encrypted', reasons: ['BITWARDEN_ENC_KEY'] },
      {
        file: 'evidence-vm.vbox',
        format: 'virtualbox-encrypted-vm',
        status: 'encrypted',
        reasons: ['VIRTUALBOX_CRYPT_KEYSTORE'],
        encryption: { scope: 'partial', scheme: 'virtualbox-aes-xts' },
      },
      { file: 'aegis-export.json', format: 'aegis-vault', status: 'encrypted', reasons: ['AEGIS_ENCRYPTED_DB'] },
      {
        file: 'masterkey.cryptomator',
        format: 'cryptomator-masterkey',
        status: 'encrypted',
        reasons: ['CRYPTOMATOR_MASTERKEY'],
      },
      {
        file: 'Standard Notes Backup.txt',
        format: 'standard-notes-backup',
        status: 'encrypted',
        reasons: ['STANDARD_NOTES_ENCRYPTED_ITEMS'],
      },
      {
        file: 'evidence-vm.vmx',
        format: 'vmware-encrypted-vm',
        status: 'encrypted',
        reasons: ['VMWARE_KEYSAFE'],
        encryption: { scheme: 'vmware-aes-256' },
      },
      {
        file: 'Signal/config.json',
        format: 'signal-desktop-config',
        status: 'encrypted',
        reasons: ['ELECTRON_SAFESTORAGE_KEY'],
        encryption: { scheme: 'electron-safestorage-v10', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'padlock-export.json',
        format: 'sjcl-ciphertext',
        status: 'encrypted',
        reasons: ['SJCL_CIPHERTEXT'],
        encryption: { scheme: 'sjcl-aes-ccm' },
      },
      {
        // Written by MetaMask's browser-passworder: iterations from keyMetadata.
        file: 'metamask-vault.json',
        format: 'metamask-vault',
        status: 'encrypted',
        reasons: ['METAMASK_VAULT'],
        encryption: { scheme: 'metamask-pbkdf2-aes-256-gcm', scope: 'full', keyHint: { kind: 'password' } },
      },
      {
        file: 'metamask-mobile-vault.json',
        format: 'metamask-mobile-vault',
        status: 'encrypted',
        reasons: ['METAMASK_MOBILE_VAULT'],
        encryption: { scheme: 'metamask-mobile-pbkdf2-aes-cbc', scope: 'full' },
      },
      {
        // The vault escaped twice inside the persisted state: the rest of the state is readable.
        file: 'persist-root',
        format: 'metamask-mobile-vault',
        status: 'encrypted',
        reasons: ['METAMASK_MOBILE_STATE_VAULT'],
        encryption: { scheme: 'metamask-mobile-pbkdf2-aes-cbc', scope: 'partial' },
      },
      {
        file: 'rclone.conf',
        format: 'rclone-config-encrypted',
        status: 'encrypted',
        reasons: ['RCLONE_ENCRYPTED_CONFIG'],
        encryption: { scheme: 'rclone-secretbox-sha256', keyHint: { kind: 'password' } },
      },
    ],
    // A Firefox logins.json (credential fields encrypted, the rest readable) and an Electrum wallet without encryption are readable.
    invalid: [
      { file: 'config.yaml' },
      { file: 'plain_export.json' },
      { file: 'logins.json' },
      { file: 'electrum_wallet_plain' },
      { file: 'aegis-export-plain.json' },
      { file: 'plain-vm.vmx' },
      { file: 'rclone-plain.conf' },
      { file: 'metamask-lookalike.json' },
      { file: 'Signal-legacy/config.json', name: 'the old config.json holds the key in clear' },
    ],
  },
  { framework: { describe, it } },
);
