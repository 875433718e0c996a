import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { wechatDatDetector } from './wechat-dat.js';

const img = 'xwechat_files/wxid_h23b0000000000_a1b2/msg/attach/0a1b2c3d4e5f60718293a4b5c6d7e8f9/2026-11/Img';

testDetector(
  wechatDatDetector,
  {
    fixtures: new URL('../../fixtures/wechat-dat/', import.meta.url),
    valid: [
      // V1: the published key decrypts the first block to a JPEG (a picture) or a PNG (its thumbnail).
      {
        file: `${img}/5f3c1e9a7b2d4c6e8f0a1b2c3d4e5f60.dat`,
        format: 'wechat-dat-v1',
        status: 'opaque',
        reasons: ['WECHAT_DAT_V1'],
      },
      {
        file: `${img}/5f3c1e9a7b2d4c6e8f0a1b2c3d4e5f60_t.dat`,
        format: 'wechat-dat-v1',
        status: 'opaque',
        reasons: ['WECHAT_DAT_V1'],
      },
      // V2: the account's image key, not in the file.
      {
        file: `${img}/6a4d2f0b8c3e5d7f9a1b2c3d4e5f6071.dat`,
        format: 'wechat-dat-v2',
        status: 'encrypted',
        reasons: ['WECHAT_DAT_V2'],
        encryption: { scheme: 'wechat-dat-v2-aes-128-ecb', scope: 'partial' },
      },
    ],
    invalid: [{ file: 'look-alikes/v1-random.dat' }, { file: 'look-alikes/v2-counts-too-large.dat' }],
  },
  { framework: { describe, it } },
);
