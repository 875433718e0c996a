import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { diskImagesDetector } from './disk-images.js';

testDetector(diskImagesDetector, {
  fixtures: new URL('../../fixtures/disk-images/', import.meta.url),
  valid: [
    { file: 'fat.img', format: 'fat-image', status: 'analysable', reasons: ['FAT_BOOT_SECTOR'] },
    { file: 'ext4.img', format: 'ext-filesystem', status: 'analysable', reasons: ['EXT_SUPERBLOCK'] },
    { file: 'swap.img', format: 'linux-swap', status: 'analysable', reasons: ['SWAP_SIGNATURE'] },
    { file: 'image.dmg', format: 'dmg', status: 'analysable', reasons: ['UDIF_KOLY_TRAILER'] },
  ],
  invalid: [{ file: 'boot-signature-only.bin' }],
}, { framework: { describe, it } });
