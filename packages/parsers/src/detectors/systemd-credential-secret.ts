/**
 * systemd's credential host key (`/var/lib/systemd/credential.secret`, made by `systemd-creds setup` or on
 * the first `systemd-creds encrypt --with-key=host`, mode 0400): 16 bytes binding it to the machine id, then
 * 4,096 random bytes (creds-util.c, credential_host_secret_format). Raw key material, so opaque; named
 * because it is what opens the machine's host-key credentials (the systemd-credentials detector's key hint
 * points here). A path fallback: the size must be exact and the key part must spread like random bytes.
 * Fixture made by systemd-creds 252 setup (fixtures/systemd-credential-secret/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { plain } from './util.js';

const HOST_SECRET = /(?:^|\/)var\/lib\/systemd\/credential\.secret$/;
const HOST_SECRET_SIZE = 16 + 4096;

export const systemdCredentialSecretDetector = defineDetector({
  meta: {
    id: 'systemd-credential-secret',
    version: '1.0.0',
    title: "systemd's credential host key (/var/lib/systemd/credential.secret)",
    formats: [
      {
        id: 'systemd-credential-host-secret',
        name: 'systemd credential host key',
        status: 'opaque',
        how: 'path',
        extensions: ['secret'],
      },
    ],
  },
  minSize: HOST_SECRET_SIZE,
  maxSize: HOST_SECRET_SIZE,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    if (!HOST_SECRET.test(probe.logicalPath.replaceAll('\\', '/'))) return undefined;
    if (probe.head.length < HOST_SECRET_SIZE || !spreadLikeRandom(probe.head.subarray(16))) return undefined;
    return {
      ...plain('opaque', {
        id: 'systemd-credential-host-secret',
        name: 'systemd credential host key',
        confidence: 0.9,
        code: 'SYSTEMD_CREDENTIAL_HOST_SECRET',
        message: `systemd's credential host key: ${HOST_SECRET_SIZE} bytes, a 16-byte machine binding then 4,096 random bytes; the key that opens this machine's host-key credentials (systemd-creds --with-key=host), raw key material.`,
      }),
      basis: 'path',
    };
  },
});
