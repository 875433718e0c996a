/**
 * MPEG transport stream packets: a sync byte (0x47) at the start of each,
 * every 188 bytes (192 for BDAV/M2TS, with a 4-byte timestamp first; 204 with
 * Reed-Solomon parity). The check behind file-type's one-byte magic, and the
 * chain that finds a stream cut anywhere (media-fragments.ts).
 * Reference: ISO/IEC 13818-1 §2.4.3.2 (transport packet header:
 * transport_scrambling_control, adaptation_field_control).
 */

/** The packets from `first`, one every `stride` bytes, that start before `end`. */
export interface TsRun {
  /** Packets that start with the sync byte, before the first that does not. */
  packets: number;
  /** Whether every packet before `end` starts with it. */
  synced: boolean;
  /** Of those, the packets that carry a payload, and those whose payload is scrambled. */
  payload: number;
  scrambled: number;
}

export function tsRun(b: Uint8Array, first: number, stride: number, end: number): TsRun {
  let packets = 0;
  let payload = 0;
  let scrambled = 0;
  for (let p = first; p < end; p += stride) {
    if (b[p] !== 0x47) return { packets, synced: false, payload, scrambled };
    packets++;
    const flags = b[p + 3];
    if (flags !== undefined && flags & 0x10) {
      payload++;
      if (flags & 0xc0) scrambled++;
    }
  }
  return { packets, synced: true, payload, scrambled };
}
