/**
 * Readium LCP outside EPUB: audiobooks (.lcpau, .lcpa) and PDFs (.lcpdf) are
 * ZIP packages holding a Readium Web Publication Manifest (`manifest.json`)
 * and the licence (`license.lcpl`) at their root. The manifest marks each
 * encrypted resource with `properties.encrypted` naming the LCP scheme; the
 * licence (JSON) wraps the content key under the user's passphrase, whose
 * text hint it keeps in clear. Shared by the ZIP encryption parser; not a
 * plugin. References: Readium LCP 1.0 §3 (license document: encryption,
 * user_key.text_hint), §4 (encryption of resources in packaged
 * publications); Readium Web Publication Manifest (links, properties).
 */

export const LCP_SCHEME = 'http://readium.org/2014/01/lcp';
/** Links read at most per list: a publication has one per chapter, track or resource. */
const MAX_LINKS = 100_000;
const MAX_HINT = 120;

/** The licence's passphrase hint (`encryption.user_key.text_hint`), cleaned of control characters; undefined when absent or unreadable. */
export function lcpTextHint(licence: string): string | undefined {
  try {
    const hint = (JSON.parse(licence) as { encryption?: { user_key?: { text_hint?: unknown } } })?.encryption?.user_key
      ?.text_hint;
    if (typeof hint !== 'string') return undefined;
    const clean = hint.replace(/\p{Cc}/gu, ' ').trim();
    return clean ? clean.slice(0, MAX_HINT) : undefined;
  } catch {
    return undefined;
  }
}

/** Resources of a Web Publication Manifest that the LCP scheme encrypted (readingOrder, resources, links); undefined when it is no manifest. */
export function lcpEncryptedResources(manifest: string): number | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(manifest);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  let encrypted = 0;
  for (const list of ['readingOrder', 'resources', 'links']) {
    const links = (doc as Record<string, unknown>)[list];
    if (!Array.isArray(links)) continue;
    for (const link of links.slice(0, MAX_LINKS)) {
      const scheme = (link as { properties?: { encrypted?: { scheme?: unknown } } } | null)?.properties?.encrypted
        ?.scheme;
      if (scheme === LCP_SCHEME) encrypted++;
    }
  }
  return encrypted;
}

/** The key hint of an LCP publication, with the licence's own hint when it has one. */
export function lcpKeyHint(where: string, hint: string | undefined) {
  return {
    description: `The LCP user passphrase${hint ? ` (the licence's hint: "${hint}")` : " (the licence's text hint says which)"}; the content key is wrapped in ${where}.`,
    kind: 'password' as const,
    present: 'unknown' as const,
  };
}
