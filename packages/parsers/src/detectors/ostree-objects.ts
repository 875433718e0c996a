/**
 * OSTree repository objects, as Linux systems keep them for flatpak apps and
 * runtimes (/var/lib/flatpak/repo, ~/.local/share/flatpak/repo), image-based
 * systems (/ostree/repo on Fedora Silverblue/CoreOS, endless) and
 * ostree-based build caches. Each object sits at
 * `objects/<first 2 hex>/<62 hex>.<kind>`, named by its SHA-256:
 * - `.commit`, `.dirtree`, `.dirmeta`: GVariant serialisations (a commit's
 *   metadata, a directory's names with their children's binary checksums, a
 *   directory's uid/gid/mode/xattrs). A dirtree is mostly 32-byte checksums,
 *   so the statistics called it "encrypted"; here the name is the SHA-256 of
 *   the file's own bytes, which the detector checks when it has them all.
 * - `.commitmeta`: a commit's detached metadata (GPG or ed25519 signatures),
 *   a GVariant dictionary named by the commit's checksum: the path alone.
 * - `.filez` (archive-mode repos): a big-endian header size, four zero bytes,
 *   the GVariant file header, then the content as raw DEFLATE.
 * All opaque: OSTree's own serialisation, which `ostree cat/show` reads and
 * no general reader does; none is encrypted. (`.file` objects of bare repos
 * are the files themselves and are left to content detection.)
 * Reference: ostree src/libostree/ostree-core.h (OSTREE_*_GVARIANT_FORMAT,
 * the archive-z2 file header). Fixtures made by ostree 2022.7
 * (fixtures/ostree-objects/generate.sh).
 */
import { createHash } from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const OBJECT_PATH = /(?:^|\/)objects\/([0-9a-f]{2})\/([0-9a-f]{62})\.(commit|dirtree|dirmeta|filez|commitmeta)$/;

const KINDS: Record<string, { id: string; name: string; what: string }> = {
  commit: {
    id: 'ostree-commit',
    name: 'OSTree commit object',
    what: "a commit (subject, body, parent, root tree's checksums)",
  },
  commitmeta: {
    id: 'ostree-commitmeta',
    name: 'OSTree detached commit metadata',
    what: "a commit's detached metadata (its signatures)",
  },
  dirtree: {
    id: 'ostree-dirtree',
    name: 'OSTree directory tree object',
    what: "a directory's file and subdirectory names with their binary SHA-256 checksums",
  },
  dirmeta: {
    id: 'ostree-dirmeta',
    name: 'OSTree directory metadata object',
    what: "a directory's owner, mode and xattrs",
  },
  filez: {
    id: 'ostree-content',
    name: 'OSTree compressed content object (archive repo)',
    what: "a file's header (size, owner, mode, xattrs) and its content as raw DEFLATE",
  },
};

export const ostreeObjectsDetector = defineDetector({
  meta: {
    id: 'ostree-objects',
    version: '1.0.0',
    title: 'OSTree repository objects (flatpak, Silverblue/CoreOS): commits, dirtrees, dirmeta, compressed content',
    formats: [
      { id: 'ostree-commit', name: 'OSTree commit object', status: 'opaque', how: 'path', extensions: ['commit'] },
      {
        id: 'ostree-dirtree',
        name: 'OSTree directory tree object',
        status: 'opaque',
        how: 'path',
        extensions: ['dirtree'],
      },
      {
        id: 'ostree-commitmeta',
        name: 'OSTree detached commit metadata',
        status: 'opaque',
        how: 'path',
        extensions: ['commitmeta'],
      },
      {
        id: 'ostree-dirmeta',
        name: 'OSTree directory metadata object',
        status: 'opaque',
        how: 'path',
        extensions: ['dirmeta'],
      },
      {
        id: 'ostree-content',
        name: 'OSTree compressed content object (archive repo)',
        status: 'opaque',
        how: 'path',
        extensions: ['filez'],
      },
    ],
  },
  minSize: 1,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const m = OBJECT_PATH.exec(probe.logicalPath.replaceAll('\\', '/'));
    if (!m) return undefined;
    const [, dir, rest, ext] = m as unknown as [string, string, string, keyof typeof KINDS];
    const kind = KINDS[ext]!;
    const checksum = `${dir}${rest}`;
    let evidence: string;
    let confidence = 0.8;
    const figures: Record<string, string | number | boolean> = { kind: ext };
    if (ext === 'filez') {
      // The archive header: its GVariant size (big-endian), 4 zero bytes, and the header inside the file.
      const headerSize = u32be(probe.head, 0);
      const padding = u32be(probe.head, 4);
      if (headerSize === undefined || padding !== 0 || headerSize < 8 || headerSize + 8 > probe.size) return undefined;
      figures.headerSize = headerSize;
      evidence = `a ${headerSize}-byte file header after its size field and padding, the content after it`;
    } else if (ext === 'commitmeta') {
      // Detached metadata (signatures) is named by its commit's checksum, not its own: the path alone.
      evidence = "named by its commit's checksum in the repository layout";
    } else if (probe.complete && probe.head.length === probe.size) {
      const digest = createHash('sha256').update(probe.head).digest('hex');
      if (digest !== checksum) return undefined;
      confidence = 0.95;
      figures.checksumVerified = true;
      evidence = "the name is the SHA-256 of the file's bytes, as OSTree names metadata objects";
    } else {
      evidence = 'too large to hash from the probe; named by the repository layout';
    }
    return {
      ...plain('opaque', {
        id: kind.id,
        name: kind.name,
        confidence,
        code: 'OSTREE_OBJECT',
        message: `OSTree object ${checksum.slice(0, 12)}… (.${ext}) in a repository's objects/ folder, ${kind.what}: ${evidence}. OSTree's own GVariant serialisation (ostree cat / ostree show read it), not ciphertext.`,
        figures,
      }),
      basis: 'path',
    };
  },
});
