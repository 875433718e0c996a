/**
 * OMA DRM 1 content format (DCF, `.dcf`): how feature phones and early
 * smartphones (Nokia, Sony Ericsson, Motorola, Samsung) kept downloaded
 * ringtones, wallpapers, games and video under "separate delivery" DRM. The
 * header is small and plain: a version byte 1, the content type (a MIME type)
 * and content URI behind one-byte lengths, the lengths of the headers and the
 * data as WAP uintvars, then text headers ("Encryption-Method: AES128CBC",
 * "Rights-Issuer: …"), then the data: a 16-byte IV and AES-128-CBC
 * ciphertext, whose key arrives in a Rights Object from the rights issuer.
 * Without this the file reaches the statistics (a short clear header before
 * ciphertext) and libmagic has no rule for it.
 * Believed when the lengths chain to the end of the file (a truncated file's
 * data length may run past it) and the type, URI and headers are printable
 * text with a MIME type and "Encryption-Method".
 * Reference: OMA-Download-DRMCF-V1_0 §5 (DCF format and headers); WAP-230-WSP
 * §8.1.2 (uintvar).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain } from './util.js';

const FORMAT = { id: 'oma-dcf1', name: 'OMA DRM 1 protected content (DCF)' };
const CLEAR = { id: 'oma-dcf1-clear', name: 'OMA DRM 1 content (DCF) stored in the clear' };
const MAX_HEADERS = 8192;

/** A WAP uintvar at `at` (7 bits a byte, high bit set on all but the last; at most 5 bytes): value and its length. */
function uintvar(h: Uint8Array, at: number): [number, number] | undefined {
  let v = 0;
  for (let i = 0; i < 5; i++) {
    const b = h[at + i];
    if (b === undefined) return undefined;
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) return [v, i + 1];
  }
  return undefined;
}

const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);

export const omaDcf1Detector = defineDetector({
  meta: {
    id: 'oma-dcf1',
    version: '1.0.0',
    title: 'OMA DRM 1 content format (DCF) of feature phones',
    formats: [
      {
        ...FORMAT,
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/vnd.oma.drm.content',
        extensions: ['dcf'],
      },
      {
        ...CLEAR,
        status: 'analysable',
        how: 'header-field',
        mime: 'application/vnd.oma.drm.content',
        extensions: ['dcf'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: '01' }],
  minSize: 16,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const typeLength = h[1]!;
    const uriLength = h[2]!;
    if (typeLength < 3 || uriLength === 0) return undefined;
    const contentType = ascii(h, 3, 3 + typeLength);
    const uri = ascii(h, 3 + typeLength, 3 + typeLength + uriLength);
    if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(contentType) || uri.length !== uriLength || !printable(uri))
      return undefined;
    let at = 3 + typeLength + uriLength;
    const headers = uintvar(h, at);
    if (!headers || headers[0] > MAX_HEADERS) return undefined;
    at += headers[1];
    const data = uintvar(h, at);
    if (!data) return undefined;
    at += data[1];
    const headerEnd = at + headers[0];
    // The data ends the file; a cut file's data length runs past its end, never short of it.
    if (headerEnd + data[0] < probe.size || headerEnd > probe.size || headerEnd > h.length) return undefined;
    const text = ascii(h, at, headerEnd);
    const lines = text.split(/\r?\n/).filter(Boolean);
    if (!lines.every((l) => printable(l) && /^[A-Za-z-]+:/.test(l))) return undefined;
    const method = /^Encryption-Method:\s*([^;\s]+)/im.exec(text)?.[1];
    if (!method) return undefined;
    const issuer = /^Rights-Issuer:\s*(\S+)/im.exec(text)?.[1];
    const figures = { contentType, contentUri: uri, encryptionMethod: method, dataBytes: data[0] };
    const what = `OMA DRM 1 DCF header: version 1, content type "${contentType}", content URI "${uri}", ${data[0]} bytes of data ending the file, "Encryption-Method: ${method}"${issuer ? `, rights issuer ${issuer}` : ''}`;
    if (/^null$/i.test(method))
      return plain('analysable', {
        ...CLEAR,
        confidence: 0.9,
        code: 'OMA_DCF1_CLEAR',
        message: `${what}: the content is in the clear.`,
        figures,
      });
    return locked({
      ...FORMAT,
      confidence: 0.95,
      code: 'OMA_DCF1_ENCRYPTED',
      message: `${what}: the content is encrypted.`,
      figures,
      scheme: `oma-dcf1-${method.toLowerCase()}`,
      keyHint: {
        description: `The content encryption key, delivered in an OMA DRM Rights Object by the rights issuer${issuer ? ` (${issuer})` : ''} to the phone's DRM agent (separate delivery); it is not a password.`,
        kind: 'unknown',
        present: 'unknown',
      },
    });
  },
});
