import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pemDetector } from './pem.js';

testDetector(
  pemDetector,
  {
    fixtures: new URL('../../fixtures/pem/', import.meta.url),
    valid: [
      {
        file: 'legacy-encrypted.key',
        format: 'pem-key-encrypted',
        status: 'encrypted',
        reasons: ['PEM_PROC_TYPE_ENCRYPTED'],
        encryption: { scheme: 'pem-aes-128-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'pkcs8-encrypted.pem',
        format: 'pem-key-encrypted',
        status: 'encrypted',
        reasons: ['PEM_PKCS8_ENCRYPTED'],
      },
      {
        file: 'id_ed25519',
        format: 'openssh-key-encrypted',
        status: 'encrypted',
        reasons: ['OPENSSH_KEY_ENCRYPTED'],
        encryption: { scheme: 'openssh-aes256-ctr' },
      },
      { file: 'id_ed25519_clear', format: 'openssh-key', status: 'analysable', reasons: ['OPENSSH_KEY_CLEAR'] },
      // Headers between BEGIN and the base64 (Erlang/OTP's ssh_file): read past them, not left as text.
      {
        file: 'openssh-headers-clear',
        format: 'openssh-key',
        status: 'analysable',
        reasons: ['OPENSSH_KEY_CLEAR'],
      },
      {
        file: 'openssh-headers-encrypted',
        format: 'openssh-key-encrypted',
        status: 'encrypted',
        reasons: ['OPENSSH_KEY_ENCRYPTED'],
        encryption: { scheme: 'openssh-aes256-ctr' },
      },
      { file: 'clear-rsa.key', format: 'pem-key', status: 'analysable', reasons: ['PEM_PRIVATE_KEY_CLEAR'] },
      {
        file: 'putty-encrypted.ppk',
        format: 'putty-key-encrypted',
        status: 'encrypted',
        reasons: ['PUTTY_KEY_ENCRYPTED'],
        encryption: { scheme: 'putty-ppk3-aes256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'minisign.key',
        format: 'minisign-key-encrypted',
        status: 'encrypted',
        reasons: ['MINISIGN_KEY_ENCRYPTED'],
        encryption: { scheme: 'minisign-scrypt' },
      },
      { file: 'minisign-clear.key', format: 'minisign-key', status: 'analysable', reasons: ['MINISIGN_KEY_CLEAR'] },
      { file: 'signify-clear.sec', format: 'minisign-key', status: 'analysable', reasons: ['MINISIGN_KEY_CLEAR'] },
      { file: 'putty-clear.ppk', format: 'putty-key', status: 'analysable', reasons: ['PUTTY_KEY_CLEAR'] },
      // SSH.com keys exported by puttygen: "ENCRYPTED" in the first line of both; the blob's cipher decides.
      {
        file: 'sshcom-encrypted.key',
        format: 'ssh2-private-key-encrypted',
        status: 'encrypted',
        reasons: ['SSHCOM_KEY_ENCRYPTED'],
        encryption: { scheme: 'sshcom-3des-cbc', keyHint: { kind: 'password' } },
      },
      { file: 'sshcom-clear.key', format: 'ssh2-private-key', status: 'analysable', reasons: ['SSHCOM_KEY_CLEAR'] },
      {
        file: 'element-keys.txt',
        format: 'megolm-key-export',
        status: 'encrypted',
        reasons: ['MEGOLM_KEY_EXPORT'],
        encryption: { scheme: 'megolm-export-aes256ctr-pbkdf2-sha512', keyHint: { kind: 'password' } },
      },
      {
        file: 'tss2-ec.pem',
        format: 'tpm2-wrapped-key',
        status: 'encrypted',
        reasons: ['TSS2_WRAPPED_KEY'],
        encryption: { scheme: 'tpm2-wrapped', keyHint: { kind: 'hardware' } },
      },
      {
        file: 'tss2-rsa-auth.pem',
        format: 'tpm2-wrapped-key',
        status: 'encrypted',
        reasons: ['TSS2_WRAPPED_KEY'],
        encryption: { scheme: 'tpm2-wrapped', keyHint: { kind: 'hardware' } },
      },
      // pyca/cryptography's vectors and GnuPG's test data: labels with a dot, OpenSSL's older labels, gpgsm's.
      { file: 'x942-dh-parameters.pem', format: 'pem-cert', status: 'analysable', reasons: ['PEM_PUBLIC_MATERIAL'] },
      { file: 'dsa-parameters.pem', format: 'pem-cert', status: 'analysable' },
      { file: 'dsa-public-key.pem', format: 'pem-cert', status: 'analysable' },
      { file: 'x509-certificate-old-header.pem', format: 'pem-cert', status: 'analysable' },
      { file: 'gpgsm-text-2.osig.pem', format: 'pem-cert', status: 'analysable' },
      { file: 'sshsig-ed25519.sig', format: 'ssh-signature', status: 'analysable', reasons: ['SSH_SIGNATURE'] },
      // A certificate, then its key: an encrypted key decides the file, a clear one leaves the certificate's name.
      {
        file: 'cert-and-encrypted-key.pem',
        format: 'pem-key-encrypted',
        status: 'encrypted',
        reasons: ['PEM_PKCS8_ENCRYPTED', 'PEM_LATER_BLOCK_ENCRYPTED'],
      },
      { file: 'cert-and-clear-key.pem', format: 'pem-cert', status: 'analysable' },
      // A block after more than a KiB of text dump, ending the file.
      { file: 'csr-after-text-dump.pem', format: 'pem-cert', status: 'analysable' },
      {
        file: 'pkcs8-after-asn1parse.pem',
        format: 'pem-key',
        status: 'analysable',
        reasons: ['PEM_PRIVATE_KEY_CLEAR'],
      },
      { file: 'pkcs12-block.pem', format: 'pkcs12-pem', status: 'encrypted', reasons: ['PEM_PKCS12'] },
    ],
    invalid: [
      { file: 'megolm-version-2.txt', name: 'the Megolm export armor around a version no client writes' },
      { file: 'openssh-PROTOCOL.sshsig.txt', name: 'a document quoting an SSH SIGNATURE block' },
      { file: 'late-block-then-prose.txt', name: 'a block after a KiB of prose, with prose after it' },
      { file: 'late-encrypted-example.txt', name: 'an encrypted key ending a manual page many times its size' },
      // A certificate is public material: the detector says so, and never calls it encrypted.
      { file: 'cert.pem', format: 'pem-key-encrypted' },
      // Python source quoting an encrypted key in a bytes literal: source code, not a PEM file.
      { file: 'key_helper_test.py' },
      // A key constant whose END boundary closes the string literal on its line.
      { file: 'key_constants.py' },
      // The SSH.com first line in a note, no key blob after it.
      { file: 'sshcom-mention.txt' },
      // A certificate's DER under the "PKCS12" label: not a PFX.
      { file: 'pkcs12-label-certificate.pem' },
    ],
  },
  { framework: { describe, it } },
);
