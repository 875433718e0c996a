/**
 * macOS's virtual-memory files: the swap files (`/private/var/vm/swapfile<n>`,
 * `/System/Volumes/VM/swapfile<n>` since Big Sur) and the hibernation image
 * (`sleepimage`). Since OS X 10.7 swap is always encrypted (AES) under a key
 * made at boot and kept in kernel memory (the Secure Enclave on T2 and Apple
 * silicon Macs), so it is gone at shutdown; the hibernation image is
 * encrypted on FileVault, T2 and Apple silicon machines. The statistics found
 * their bytes uniform and called them encrypted with no scheme (a large one
 * "TrueCrypt/VeraCrypt"); here the path names them and the key hint says no
 * file holds the key. A path fallback: the non-zero 4 KiB pages in the probe
 * (unused swap is zero) must be uniformly random, so a clear image of an old
 * Mac (memory pages: code, text, structures) is left to other detectors.
 * References: Apple's OS X 10.7 security notes (secure virtual memory always
 * on), the Apple Platform Security guide (Secure Enclave, FileVault) and
 * xnu's IOHibernateIO.cpp (the image's encrypted pages). No tool outside
 * macOS writes them: the fixtures are random pages in their
 * layout (fixtures/macos-vm-files/generate.py).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { isRandom, probeBlocks } from './statistics-figures.js';
import { locked } from './util.js';

const SWAP = /(?:^|\/)(?:private\/var\/vm|System\/Volumes\/VM)\/swapfile\d+$/;
const SLEEP = /(?:^|\/)(?:private\/var\/vm|System\/Volumes\/VM)\/sleepimage$/;
const PAGE = 4096;

/** The probe's 4 KiB pages that hold any non-zero byte. */
function usedPages(probe: Probe): Uint8Array[] {
  const pages: Uint8Array[] = [];
  for (const block of probeBlocks(probe))
    for (let at = 0; at < block.length; at += PAGE) {
      const page = block.subarray(at, at + PAGE);
      if (page.some((v) => v !== 0)) pages.push(page);
    }
  return pages;
}

export const macosVmFilesDetector = defineDetector({
  meta: {
    id: 'macos-vm-files',
    version: '1.0.0',
    title: "macOS's encrypted swap files and hibernation image (/private/var/vm, /System/Volumes/VM)",
    formats: [
      { id: 'macos-encrypted-swap', name: 'macOS encrypted swap file', status: 'encrypted', how: 'path' },
      { id: 'macos-encrypted-sleepimage', name: 'macOS encrypted hibernation image', status: 'encrypted', how: 'path' },
    ],
  },
  minSize: PAGE,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const path = probe.logicalPath.replaceAll('\\', '/');
    const swap = SWAP.test(path);
    if (!swap && !SLEEP.test(path)) return undefined;
    const pages = usedPages(probe);
    const e = randomnessFigures(pages);
    if (pages.length === 0 || !isRandom(e)) return undefined;
    const figures = { usedPages: pages.length, shannon: e.shannon, chiSquareP: e.chiSquareP };
    const bytes = `its ${pages.length} non-zero 4 KiB pages in the probe are uniformly random (entropy ${e.shannon.toFixed(4)} bits/byte, chi-square p=${e.chiSquareP})`;
    const keyHint = {
      kind: 'hardware' as const,
      present: 'no' as const,
      description: swap
        ? 'The swap key macOS makes at each boot and keeps in kernel memory (in the Secure Enclave on T2 and Apple silicon Macs): lost at shutdown; only a memory image of the running Mac holds it.'
        : 'The hibernation key: derived from the FileVault volume key, or held by the Secure Enclave on T2 and Apple silicon Macs; not in any file.',
    };
    return {
      ...(swap
        ? locked({
            id: 'macos-encrypted-swap',
            name: 'macOS encrypted swap file',
            confidence: 0.85,
            code: 'MACOS_ENCRYPTED_SWAP',
            message: `macOS swap file (${path.split('/').pop()}): ${bytes}, as swap encrypted under a per-boot key is (OS X 10.7 on).`,
            figures,
            scheme: 'macos-swap-aes',
            keyHint,
          })
        : locked({
            id: 'macos-encrypted-sleepimage',
            name: 'macOS encrypted hibernation image',
            confidence: 0.8,
            code: 'MACOS_ENCRYPTED_SLEEPIMAGE',
            message: `macOS hibernation image (sleepimage): ${bytes}, as the encrypted image of a FileVault, T2 or Apple silicon Mac is.`,
            figures,
            scheme: 'macos-hibernation-aes',
            keyHint,
          })),
      basis: 'path',
    };
  },
});
