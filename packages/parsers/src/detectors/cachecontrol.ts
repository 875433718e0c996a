/**
 * HTTP cache entries written by CacheControl, the requests cache that pip
 * (`~/.cache/pip/http-v2/…/<sha224>`, older `http/`) and Poetry
 * (`~/.cache/pypoetry/cache/…`) use: "cc=4," then a MessagePack map
 * {"response": {body, headers, status, version, reason, decode_content},
 * "vary": {…}}. Since pip 23.3 the body is kept beside it in `<name>.body`
 * and the map's body is empty. Readable: a cached response whose headers and
 * body any MessagePack reader decodes once the five-byte prefix is skipped,
 * like the MessagePack files the msgpack detector calls analysable. Without
 * this the prefix hides the MessagePack and the statistics say opaque.
 * Reference: CacheControl serialize.py (Serializer.dumps/_loads_v4: the
 * "cc=<version>," prefix and the msgpack payload).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { decodeMsgpack } from './msgpack.js';
import { ascii, plain } from './util.js';

const PREFIX = 'cc=4,';
/** fixmap header, then "response" as a fixstr (0xA8 and its 8 bytes): the first key CacheControl writes. */
const RESPONSE_KEY = '\xa8response';

export const cacheControlDetector = defineDetector({
  meta: {
    id: 'cachecontrol',
    version: '1.0.0',
    title: "CacheControl HTTP cache entries (pip's and Poetry's HTTP caches)",
    formats: [
      {
        id: 'cachecontrol-entry',
        name: 'CacheControl HTTP cache entry (pip, Poetry)',
        status: 'analysable',
        how: 'structure',
      },
    ],
  },
  signatures: [{ offset: 0, ascii: PREFIX }],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const map = h[PREFIX.length] ?? 0;
    if (ascii(h.subarray(0, PREFIX.length)) !== PREFIX || map < 0x81 || map > 0x8f) return undefined;
    if (ascii(h.subarray(PREFIX.length + 1, PREFIX.length + 10)) !== RESPONSE_KEY) return undefined;
    const rest = { ...probe, head: h.subarray(PREFIX.length), size: probe.size - PREFIX.length };
    const decoded = decodeMsgpack(rest);
    if (!decoded) return undefined;
    // An empty body (bin8 of length 0) means pip 23.3's layout: the body sits in a separate file.
    const separateBody = ascii(h.subarray(0, 256)).includes('\xa4body\xc4\x00');
    return plain('analysable', {
      id: 'cachecontrol-entry',
      name: 'CacheControl HTTP cache entry (pip, Poetry)',
      confidence: 0.95,
      code: 'CACHECONTROL_ENTRY',
      message: `CacheControl HTTP cache entry: "cc=4," then a MessagePack map whose first key is "response", decoded ${decoded.walk.cut ? `over the first ${decoded.walk.end} bytes` : 'to the last byte'}: a cached HTTP response (status, headers${separateBody ? '; the body is kept beside it in <name>.body, as pip 23.3 on writes' : ', body'}), readable with any MessagePack reader.`,
      figures: { separateBody },
    });
  },
});
