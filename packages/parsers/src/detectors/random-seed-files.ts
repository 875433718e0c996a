/**
 * Saved random seeds that operating systems keep between boots, under names
 * the statistics' "named random" rule does not catch: random by design (read
 * from the kernel's generator and written back at boot or shutdown), not
 * ciphertext. Without this, a full-file-system extraction of almost every
 * Android phone had one "encrypted" file with no key to look for.
 * - Android's EntropyMixer: `/data/system/entropy.dat` (4 KiB of
 *   /dev/urandom, rewritten every few hours; Android 4.0 to 13).
 * - FreeBSD's saved entropy: `/boot/entropy` and
 *   `/var/db/entropy/saved-entropy.<n>`.
 * (`random-seed` files of systemd and Debian's urandom script are caught by
 * their name already.) A path fallback: the bytes must also spread like
 * random bytes of their length. Opaque: raw key material.
 * References: AOSP frameworks/base services/core/java/com/android/server/
 * EntropyMixer.java; FreeBSD rc.d/random and save-entropy.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { distinctValues, spreadLikeRandom } from './statistics-figures.js';
import { plain } from './util.js';

const SEEDS: ReadonlyArray<[RegExp, string]> = [
  [/(?:^|\/)data\/system\/entropy\.dat$/, "Android's EntropyMixer seed (/data/system/entropy.dat)"],
  [/(?:^|\/)boot\/entropy$/, "FreeBSD's boot-time entropy file (/boot/entropy)"],
  [/(?:^|\/)var\/db\/entropy\/saved-entropy\.\d+$/, "FreeBSD's saved entropy (/var/db/entropy)"],
];

export const randomSeedFilesDetector = defineDetector({
  meta: {
    id: 'random-seed-files',
    version: '1.0.0',
    title: "Operating systems' saved random seeds (Android entropy.dat, FreeBSD saved entropy)",
    formats: [{ id: 'random-seed', name: 'Saved random seed (kernel entropy)', status: 'opaque', how: 'path' }],
  },
  minSize: 32,
  maxSize: 1024 * 1024,
  fallback: true,
  priority: 30,
  detect(probe): Detection | undefined {
    const path = probe.logicalPath.replaceAll('\\', '/');
    const seed = SEEDS.find(([pattern]) => pattern.test(path));
    if (!seed || !spreadLikeRandom(probe.head)) return undefined;
    const distinct = distinctValues(probe.head);
    return {
      ...plain('opaque', {
        id: 'random-seed',
        name: 'Saved random seed (kernel entropy)',
        confidence: 0.8,
        code: 'SAVED_RANDOM_SEED',
        message: `${seed[1]}: ${probe.size} bytes that spread like random bytes (${distinct} distinct values in the first ${probe.head.length}), read from the kernel's generator and saved for the next boot: random by design, not ciphertext.`,
        figures: { distinctValues: distinct },
      }),
      basis: 'path',
    };
  },
});
