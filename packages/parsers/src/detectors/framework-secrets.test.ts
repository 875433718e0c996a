import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { frameworkSecretsDetector } from './framework-secrets.js';

testDetector(
  frameworkSecretsDetector,
  {
    fixtures: new URL('../../fixtures/framework-secrets/', import.meta.url),
    valid: [
      {
        file: 'rails/config/credentials.yml.enc',
        format: 'rails-encrypted-credentials',
        status: 'encrypted',
        reasons: ['RAILS_MESSAGE_ENCRYPTOR'],
        encryption: { scheme: 'rails-aes-gcm', scope: 'full' },
      },
      {
        file: 'laravel/.env.encrypted',
        format: 'laravel-encrypted',
        status: 'encrypted',
        reasons: ['LARAVEL_ENCRYPTER_PAYLOAD'],
        encryption: { scheme: 'laravel-aes-256', scope: 'full' },
      },
      {
        file: 'laravel/cache.json',
        format: 'laravel-encrypted',
        status: 'encrypted',
        encryption: { scope: 'partial' },
      },
      {
        file: 'dotenv/.env.vault',
        format: 'dotenv-vault',
        status: 'encrypted',
        reasons: ['DOTENV_VAULT_VALUES'],
        encryption: { scheme: 'dotenv-vault-aes-256-gcm', scope: 'full' },
      },
      {
        file: 'puppet/common.yaml',
        format: 'hiera-eyaml-values',
        status: 'encrypted',
        reasons: ['HIERA_EYAML_VALUES'],
        encryption: { scheme: 'hiera-eyaml-pkcs7', scope: 'partial' },
      },
      {
        file: 'chef/db_credentials.json',
        format: 'chef-encrypted-data-bag',
        status: 'encrypted',
        reasons: ['CHEF_ENCRYPTED_DATA_BAG'],
        encryption: { scheme: 'chef-data-bag-aes-256-gcm', scope: 'partial' },
      },
      {
        file: 'cloud/app-config.yaml',
        format: 'kms-ciphertext-values',
        status: 'encrypted',
        reasons: ['KMS_CIPHERTEXT_VALUES'],
        encryption: { scheme: 'vault-transit', scope: 'partial' },
      },
      {
        file: 'spring/application.properties',
        format: 'jasypt-encrypted-values',
        status: 'encrypted',
        reasons: ['JASYPT_ENC_VALUES'],
        encryption: { scheme: 'jasypt-pbe', scope: 'partial' },
      },
      // NULs after the text (fixtures/framework-secrets/appended/make.sh): set aside and named, no longer refused
      // by the "no NUL in the first KiB" test.
      ...['application-nul.properties', 'application-zpad4k.properties'].map((file) => ({
        file: `appended/${file}`,
        format: 'jasypt-encrypted-values',
        status: 'encrypted' as const,
        reasons: ['JASYPT_ENC_VALUES', 'TRAILING_ZERO_PADDING'],
      })),
      {
        file: 'appended/laravel-cache-nul.json',
        format: 'laravel-encrypted',
        status: 'encrypted',
        reasons: ['LARAVEL_ENCRYPTER_PAYLOAD', 'TRAILING_ZERO_PADDING'],
      },
      { file: 'appended/laravel-cache-lf.json', format: 'laravel-encrypted', status: 'encrypted' },
    ],
    // Three base64 parts of the wrong sizes, base64 JSON without an IV, ENC(...) too short for a salt and a block.
    invalid: [
      { file: 'look-alike-dashes.txt' },
      { file: 'look-alike-b64json.txt' },
      { file: 'look-alike-short-enc.properties' },
      { file: 'appended/look-alike-b64json-nul.txt' },
    ],
  },
  { framework: { describe, it } },
);
