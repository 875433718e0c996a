import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidFirmwareDetector } from './android-firmware.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  androidFirmwareDetector,
  {
    fixtures: new URL('../../fixtures/android-firmware/', import.meta.url),
    valid: [
      // mkbootimg's output: a gzip ramdisk that the statistics alone call ciphertext.
      { file: 'vendor_boot.img', format: 'android-vendor-boot', status: 'analysable', reasons: ['VENDOR_BOOT_HEADER'] },
      { file: 'vbmeta.img', format: 'android-vbmeta', status: 'analysable', reasons: ['AVB_VBMETA_HEADER'] },
      { file: 'payload.bin', format: 'android-ota-payload', status: 'analysable', reasons: ['OTA_PAYLOAD_HEADER'] },
      { file: 'super_empty.img', format: 'android-super-lp', status: 'analysable', reasons: ['LP_METADATA_GEOMETRY'] },
    ],
    invalid: [
      { file: 'vendor_boot_cut.img', name: 'a vendor_boot header whose ramdisk is not in the file' },
      { file: 'vbmeta_oversized_aux.img', name: 'a vbmeta header whose auxiliary block runs past the file' },
      { file: 'payload_manifest_past_end.bin', name: 'an OTA header whose manifest runs past the file' },
      { file: 'super_bad_checksum.img', name: 'an LP geometry whose SHA-256 checksum does not hold' },
    ],
  },
  { framework: { describe, it } },
);

describe('Android images through the whole engine', () => {
  it('each is named by its header, not by the statistics or an XZ stream behind it', async () => {
    const items = await scanFixtures('android-firmware');
    expect(items.get('vendor_boot.img')?.format?.id).toBe('android-vendor-boot');
    expect(items.get('payload.bin')?.format?.id).toBe('android-ota-payload');
    expect(items.get('vbmeta.img')?.classification.status).toBe('analysable');
    expect(items.get('super_empty.img')?.format?.id).toBe('android-super-lp');
  });
});
