/**
 * The iOS system keybag file (`/private/var/keybags/systembag.kb`, also
 * `persona.kb` / user keybags): a property list whose `_MKBPAYLOAD` is the
 * keybag (the wrapped class keys of data protection) AES-CBC encrypted with
 * the BAG1 key from the effaceable storage, `_MKBIV` its IV, `_MKBWIPEID` the
 * wipe id. The BAG1 key is not a file of a logical or file-system extraction
 * (it lives in the NAND's effaceable area and is erased on wipe), so the
 * payload is locked; the class keys inside are further wrapped with the
 * device UID and the passcode.
 * Reference: iphone-dataprotection (python_scripts/keystore/keybag.py,
 * loadKeybagFromVolume: _MKBPAYLOAD decrypted with BAG1 and _MKBIV); Apple
 * Platform Security guide ("Keybags for Data Protection").
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

export const appleSystemKeybagParser = defineParser({
  meta: {
    id: 'apple-system-keybag',
    version: '1.0.0',
    title: 'iOS system keybag (systembag.kb): the encrypted keybag payload',
    formats: ['bplist', 'xml-plist'],
  },
  requires: { plistKeys: ['_MKBPAYLOAD', '_MKBIV'], maxSize: 16 * 1024 * 1024 },
  priority: 30,
  parse(ctx): ParseResult | undefined {
    const root = ctx.plist as Record<string, unknown> | undefined;
    const payload = root?.['_MKBPAYLOAD'];
    const iv = root?.['_MKBIV'];
    if (!(payload instanceof Uint8Array) || !(iv instanceof Uint8Array)) return undefined;
    const wipeId = root?.['_MKBWIPEID'];
    const figures = {
      payloadBytes: payload.length,
      ivBytes: iv.length,
      ...(typeof wipeId === 'number' ? { wipeId } : {}),
    };
    return {
      details: figures,
      reclassify: {
        status: 'encrypted',
        confidence: 0.95,
        format: { id: 'apple-system-keybag', name: 'iOS system keybag (systembag.kb)' },
        reasons: [
          {
            code: 'KEYBAG_PAYLOAD_ENCRYPTED',
            message: `Keybag plist: _MKBPAYLOAD (${payload.length} bytes) is the data-protection keybag AES-CBC encrypted with the BAG1 key of the effaceable storage, _MKBIV (${iv.length} bytes) its IV.`,
            figures,
          },
        ],
      },
      encryption: {
        scheme: 'apple-keybag-bag1-aes-cbc',
        scope: 'full',
        keyHint: {
          description:
            'The BAG1 key in the effaceable storage of the device (erased on wipe; not in a file extraction), then the device UID and passcode for the class keys inside.',
          kind: 'hardware',
          present: 'no',
        },
      },
    };
  },
});
