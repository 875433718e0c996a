import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pkcs12Detector } from './pkcs12.js';

// The detector says "likely encrypted"; the pkcs12-password parser tries the empty password.
testDetector(
  pkcs12Detector,
  {
    fixtures: new URL('../../fixtures/pkcs12/', import.meta.url),
    valid: [
      {
        file: 'protected.p12',
        format: 'pkcs12',
        status: 'encrypted',
        confidence: { min: 0.7, max: 0.89 },
        reasons: ['PKCS12_PFX'],
      },
      { file: 'empty-password.p12', format: 'pkcs12', status: 'encrypted', reasons: ['PKCS12_PFX'] },
      { file: 'nss-ber.p12', name: 'BER, as NSS (Firefox) exports it', format: 'pkcs12', status: 'encrypted' },
      { file: 'cert.der', format: 'x509-der', status: 'analysable', reasons: ['X509_DER_CERTIFICATE'] },
      { file: 'cert-v1.der', format: 'x509-der', status: 'analysable', reasons: ['X509_DER_CERTIFICATE'] },
    ],
    invalid: [{ file: 'public-key.der' }, { file: 'cert-v1-no-validity.der' }],
    ignore: ['cut-short/**', 'padded/**'],
  },
  { framework: { describe, it } },
);
