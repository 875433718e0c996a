/**
 * Fonts and font metrics kept as text: X11 BDF bitmap fonts, PostScript Type 1 fonts in their ASCII form (PFA)
 * and Adobe Font Metrics. They were "plain text" or PostScript; a font tool (FontForge, fonttools, bdftopcf,
 * t1utils) reads each: analysable, named.
 * References: Glyph Bitmap Distribution Format 2.1 (Adobe, 1993: "STARTFONT 2.1", then FONT, SIZE,
 * FONTBOUNDINGBOX), Adobe Type 1 Font Format §2.4 (the header comment "%!PS-AdobeFont-1.0" or
 * "%!FontType1-1.0" and the font's name), Adobe Font Metrics File Format 4.1 §3 ("StartFontMetrics" and a version).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const FORMATS = {
  bdf: { id: 'bdf', name: 'X11 BDF bitmap font', extensions: ['bdf'], mime: 'application/x-font-bdf' },
  pfa: { id: 'pfa', name: 'PostScript Type 1 font (ASCII, PFA)', extensions: ['pfa', 't1'], mime: 'font/x-type1' },
  afm: { id: 'afm', name: 'Adobe Font Metrics', extensions: ['afm'], mime: 'application/x-font-afm' },
} as const;

type Kind = keyof typeof FORMATS;

function identify(text: string): { kind: Kind; code: string; message: string } | undefined {
  // BDF: the version line, then the keywords the format requires first (FONT, SIZE, FONTBOUNDINGBOX) or comments.
  const bdf = /^STARTFONT (2\.[12])\r?\n(?:COMMENT[^\n]*\n)*FONT (\S[^\r\n]*)/.exec(text);
  if (bdf) return { kind: 'bdf', code: 'BDF_HEADER', message: `BDF ${bdf[1]} header ("STARTFONT"), font ${bdf[2]}.` };
  const pfa = /^%!(?:PS-AdobeFont-1\.\d|FontType1-1\.\d): ?(\S+)/.exec(text);
  if (pfa && /\/FontName\s*\/|\beexec\b|\/FontInfo/.test(text))
    return { kind: 'pfa', code: 'TYPE1_HEADER', message: `Type 1 font header comment, font ${pfa[1]}.` };
  const afm = /^StartFontMetrics (\d\.\d)\r?\n/.exec(text);
  if (afm && /\n(FontName|Comment|FullName) /.test(text))
    return { kind: 'afm', code: 'AFM_HEADER', message: `Adobe Font Metrics ${afm[1]} ("StartFontMetrics").` };
  return undefined;
}

export const fontTextDetector = defineDetector({
  meta: {
    id: 'font-text',
    version: '1.0.0',
    title: 'Fonts and font metrics in text (BDF, Type 1 PFA, AFM)',
    formats: Object.values(FORMATS).map((f) => ({
      id: f.id,
      name: f.name,
      status: 'analysable' as const,
      how: 'signature' as const,
      extensions: [...f.extensions],
      mime: f.mime,
    })),
  },
  signatures: [
    { offset: 0, ascii: 'STARTFONT ' },
    { offset: 0, ascii: '%!PS-AdobeFont-1.' },
    { offset: 0, ascii: '%!FontType1-1.' },
    { offset: 0, ascii: 'StartFontMetrics ' },
  ],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const found = identify(ascii(probe.head, 0, 4096));
    if (!found) return undefined;
    const f = FORMATS[found.kind];
    return plain('analysable', {
      id: f.id,
      name: f.name,
      mime: f.mime,
      confidence: 0.95,
      code: found.code,
      message: `${found.message} A font tool reads it: readable.`,
    });
  },
});
