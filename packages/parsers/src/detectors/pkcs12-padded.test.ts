import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pkcs12Detector } from './pkcs12.js';

// The real PKCS#12 stores and certificate of fixtures/pkcs12/ padded with zeros to 4 KiB (fixtures/pkcs12/padded/make.sh).
testDetector(
  pkcs12Detector,
  {
    fixtures: new URL('../../fixtures/pkcs12/padded/', import.meta.url),
    valid: [
      ...['protected-padded.p12', 'empty-password-padded.p12'].map((file) => ({
        file,
        name: `${file}: the PFX ends where its outer length says; the zeros after it are padding`,
        format: 'pkcs12',
        status: 'encrypted' as const,
        reasons: ['PKCS12_PFX', 'TRAILING_ZERO_PADDING'],
      })),
      {
        file: 'cert-padded.der',
        format: 'x509-der',
        status: 'analysable',
        reasons: ['X509_DER_CERTIFICATE', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [
      {
        file: 'all-clear-half-padded.p12',
        name: 'a store cut short, then padded: zeros inside its outer element are no padding',
      },
    ],
  },
  { framework: { describe, it } },
);
