import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { networkConfigTextDetector } from './network-config-text.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/network-config-text/', import.meta.url);

// fixtures/network-config-text/generate.sh
testDetector(
  networkConfigTextDetector,
  {
    fixtures,
    valid: [
      {
        // Readable, with three $$$$ values encrypted by the export password: analysable, the count in the reason.
        file: 'FRITZ.Box 7590 154.07.57_2024-01-02_1000.export',
        format: 'fritzbox-export',
        status: 'analysable',
        reasons: ['FRITZBOX_EXPORT'],
      },
      { file: 'wg0.conf', format: 'wireguard-config', status: 'analysable', reasons: ['WIREGUARD_CONFIG'] },
    ],
    invalid: [{ file: 'interface.ini', name: 'an [Interface] section without a WireGuard key' }],
  },
  { framework: { describe, it } },
);

describe('network-config-text on damaged files', () => {
  fuzzFlipCutGrow(
    networkConfigTextDetector,
    ['FRITZ.Box 7590 154.07.57_2024-01-02_1000.export', 'wg0.conf'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
  );
});
