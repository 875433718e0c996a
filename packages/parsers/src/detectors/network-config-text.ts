/**
 * Network device configurations kept as text, named so an examiner finds
 * them (the text detector would call them plain text):
 * - AVM FRITZ!Box exports (`FRITZ.Box <model> <firmware>_<date>.export`):
 *   "**** FRITZ!Box … CONFIGURATION EXPORT", then the device's config files
 *   (`**** CFGFILE:ar7.cfg` …). With an export password, each secret (Wi-Fi
 *   keys, PPPoE and user passwords) is a `$$$$…` value encrypted with it; the
 *   rest of the file is readable. Analysable (the class conventions treat a
 *   readable file with only some encrypted fields as analysable, as Chrome's
 *   Cookies); the reason counts the encrypted values.
 * - WireGuard configurations (`wg0.conf`): an [Interface] section with the
 *   interface's PrivateKey (44 base64 characters) in clear: readable key
 *   material, analysable.
 * References: AVM's export format as libmagic's "FRITZ!Box configuration
 * backup" rule and the FRITZ!Box export decryption write-ups describe it;
 * wg(8) CONFIGURATION FILE FORMAT. Fixtures: fixtures/network-config-text/generate.sh.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const FIRST_BYTES = new Set([0x2a, 0x5b, 0x23, 0x20, 0x09, 0x0d, 0x0a]);
const FRITZ = /^\*\*\*\* (FRITZ![^\r\n]{1,80}?) CONFIGURATION EXPORT\r?\n/;
const FRITZ_SECTION = /\n\*\*\*\* (CFGFILE|BINFILE|B64FILE):[^\r\n]+\r?\n/;
const SECRET = /\$\$\$\$[A-Z0-9]{16,}/g;
const WG_INTERFACE = /^(?:[ \t]*#[^\n]*\n|[ \t]*\r?\n)*\[Interface\][ \t]*\r?\n/;
const WG_PRIVATE_KEY = /^[ \t]*PrivateKey[ \t]*=[ \t]*([A-Za-z0-9+/]{43}=)[ \t]*\r?$/m;
const WG_KEYS =
  /^[ \t]*(Address|ListenPort|DNS|MTU|Table|PostUp|PreUp|PublicKey|AllowedIPs|Endpoint|PresharedKey|FwMark)[ \t]*=/m;

export const networkConfigTextDetector = defineDetector({
  meta: {
    id: 'network-config-text',
    version: '1.0.0',
    title: 'Network device configurations as text (FRITZ!Box exports, WireGuard configs)',
    formats: [
      {
        id: 'fritzbox-export',
        name: 'AVM FRITZ!Box configuration export (.export)',
        status: 'analysable',
        how: 'structure',
        extensions: ['export'],
      },
      {
        id: 'wireguard-config',
        name: 'WireGuard configuration with its private key',
        status: 'analysable',
        how: 'structure',
        extensions: ['conf'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: '**** ' },
    { offset: 0, ascii: '[Interface]', within: 512 },
  ],
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    // Both start with "****", "[Interface]", a comment or a blank line: nothing else is decoded as text.
    if (!FIRST_BYTES.has(probe.head[0]!)) return undefined;
    const text = ascii(probe.head);
    const fritz = FRITZ.exec(text);
    if (fritz) {
      if (!FRITZ_SECTION.test(text)) return undefined;
      const secrets = text.match(SECRET)?.length ?? 0;
      const password = /^Password=\$\$\$\$/m.test(text.slice(0, 4096));
      return plain('analysable', {
        id: 'fritzbox-export',
        name: 'AVM FRITZ!Box configuration export (.export)',
        confidence: 0.95,
        code: 'FRITZBOX_EXPORT',
        message:
          `"${fritz[1]} CONFIGURATION EXPORT" and "**** CFGFILE:" sections: a FRITZ!Box settings export, readable text` +
          (secrets > 0
            ? `; ${secrets} secret value${secrets === 1 ? '' : 's'} ($$$$…) in the first ${Math.round(probe.head.length / 1024)} KiB ${password ? 'are' : 'may be'} encrypted with the export password (or the box's own key), the rest is clear.`
            : '; no encrypted ($$$$) values in its head.'),
        figures: { device: fritz[1]!, encryptedValues: secrets, exportPassword: password },
      });
    }
    if (!WG_INTERFACE.test(text)) return undefined;
    const key = WG_PRIVATE_KEY.exec(text);
    if (!key || !WG_KEYS.test(text)) return undefined;
    return plain('analysable', {
      id: 'wireguard-config',
      name: 'WireGuard configuration with its private key',
      confidence: 0.93,
      code: 'WIREGUARD_CONFIG',
      message:
        'WireGuard configuration: an [Interface] section whose PrivateKey (a 32-byte Curve25519 key in base64) is in clear, with the tunnel settings and peers; readable key material, not encrypted.',
      figures: { peers: text.match(/^\[Peer\]/gm)?.length ?? 0 },
    });
  },
});
