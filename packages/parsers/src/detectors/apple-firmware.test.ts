import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleFirmwareDetector } from './apple-firmware.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  appleFirmwareDetector,
  {
    fixtures: new URL('../../fixtures/apple-firmware/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/iBoot-lf.d10.RELEASE.im4p',
        format: 'im4p-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG', 'TRAILING_DATA'],
      },
      {
        file: 'appended/iBoot-nul.d10.RELEASE.im4p',
        format: 'im4p-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/iBoot-text2k.d10.RELEASE.im4p',
        format: 'im4p-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG', 'TRAILING_DATA'],
      },
      {
        file: 'appended/iBoot-zpad4k.d10.RELEASE.im4p',
        format: 'im4p-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG', 'TRAILING_ZERO_PADDING'],
      },
      { file: 'DeviceTree.d10ap.im4p', format: 'im4p', status: 'analysable', reasons: ['IM4P_PLAIN'] },
      // A compressed payload with no keybag: high entropy, not ciphertext.
      { file: 'kernelcache.release.im4p', format: 'im4p', status: 'analysable', reasons: ['IM4P_PLAIN'] },
      {
        file: 'iBoot.d10.RELEASE.im4p',
        format: 'im4p-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG'],
        encryption: { scheme: 'img4-aes-256-cbc', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'iBoot.img4',
        format: 'img4-encrypted',
        status: 'encrypted',
        reasons: ['IM4P_KEYBAG'],
        encryption: { scheme: 'img4-aes-256-cbc', keyHint: { kind: 'hardware', present: 'no' } },
      },
      { file: 'ApTicket.im4m', format: 'im4m', status: 'analysable', reasons: ['IM4M_MANIFEST'] },
      {
        file: 'dyld_shared_cache_arm64e',
        format: 'dyld-shared-cache',
        status: 'analysable',
        reasons: ['DYLD_CACHE_HEADER'],
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/iBoot-cut.im4p' },
      { file: 'cut.im4p', name: 'an IM4P cut in half: the outer length is not the file size' },
      { file: 'dyld_bad_protection', name: 'a dyld header whose mapping has a protection no VM_PROT bits make' },
    ],
  },
  { framework: { describe, it } },
);

describe('Apple firmware through the whole engine', () => {
  it('an IM4P with a keybag is encrypted, not readable DER; one without stays readable', async () => {
    const items = await scanFixtures('apple-firmware');
    expect(items.get('iBoot.d10.RELEASE.im4p')?.classification.status).toBe('encrypted');
    expect(items.get('iBoot.d10.RELEASE.im4p')?.format?.id).toBe('im4p-encrypted');
    expect(items.get('kernelcache.release.im4p')?.format?.id).toBe('im4p');
    expect(items.get('ApTicket.im4m')?.format?.id).toBe('im4m');
  });
});
