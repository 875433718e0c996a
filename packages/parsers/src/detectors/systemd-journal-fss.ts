/**
 * journald's Forward Secure Sealing key (`/var/log/journal/<machine-id>/fss`,
 * written by `journalctl --setup-keys`): "KSHHRHLP", flags, the machine id,
 * the last writer's boot id, the header size, the sealing start and interval,
 * the FSPRG security parameter and the size of the FSPRG state that follows.
 * The state is the current sealing key, evolved at every interval; the
 * verification key is printed once and kept nowhere on the machine. Raw key
 * material, not ciphertext: opaque (the statistics called it unknown binary).
 * Reference: systemd src/libsystemd/sd-journal/journal-def.h (FSSHeader).
 * Fixture made by journalctl 252 --setup-keys (fixtures/systemd-journal-fss/
 * generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { hexOf, plain, u64le } from './util.js';

const HEADER = 88;

export const systemdJournalFssDetector = defineDetector({
  meta: {
    id: 'systemd-journal-fss',
    version: '1.0.0',
    title: "journald's Forward Secure Sealing key (fss)",
    formats: [
      { id: 'journald-fss-key', name: 'journald Forward Secure Sealing key', status: 'opaque', how: 'header-field' },
    ],
  },
  signatures: [{ offset: 0, ascii: 'KSHHRHLP' }],
  minSize: HEADER,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const headerSize = u64le(h, 48);
    const intervalUsec = u64le(h, 64);
    const stateSize = u64le(h, 80);
    if (headerSize === undefined || intervalUsec === undefined || stateSize === undefined) return undefined;
    if (headerSize < HEADER || headerSize > 4096 || headerSize + stateSize !== probe.size) return undefined;
    const minutes = Math.round(intervalUsec / 60e6);
    return plain('opaque', {
      id: 'journald-fss-key',
      name: 'journald Forward Secure Sealing key',
      confidence: 0.95,
      code: 'JOURNALD_FSS_KEY',
      message: `"KSHHRHLP" FSS header for machine ${hexOf(h, 16, 32)}, sealing every ${minutes} min, then ${stateSize} bytes of FSPRG state that fill the file: journald's current sealing key (raw key material; the verification key is kept nowhere on the machine), not ciphertext.`,
      figures: { headerSize, stateSize, intervalMinutes: minutes },
    });
  },
});
