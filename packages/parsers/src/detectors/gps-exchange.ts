/**
 * Binary GPS exchange files that navigation software keeps: Garmin MapSource
 * and BaseCamp databases (`.gdb`: the user's waypoints, routes and tracks),
 * Garmin custom POI files (`.gpi`: what POI Loader puts on a navigator) and
 * GPS TrackMaker files (`.gtm`). libmagic 5.44 knows none of them, so they were
 * `binary-unknown`. Each has a fixed mark: "MsRcf" and a "D" version record,
 * "GRMREC" and two digits at offset 8, the version 211 word and "TrackMaker".
 * Only Garmin's programs, GPS TrackMaker and gpsbabel (from reverse-engineered
 * layouts) read them: named, and opaque as niche binary. No key is involved
 * (GPI files that Garmin sells can be locked by a product key; gpsbabel's
 * reader says which, and that check belongs to a parser, not this mark).
 * References: gpsbabel 1.8 sources (gdb.cc: "MsRcf" header and "D" record;
 * garmin_gpi.cc: "GRMREC" header; gtm.cc: version 211, "TrackMaker").
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const text = (b: Uint8Array, at: number, s: string) => [...s].every((c, i) => b[at + i] === c.charCodeAt(0));
const digit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

interface Kind {
  id: string;
  name: string;
  evidence: string;
  readers: string;
}

function kind(h: Uint8Array): Kind | undefined {
  // "MsRcf\0", a u32 length, then the "D" record with the database version letter.
  if (text(h, 0, 'MsRcf\0') && h[10] === 0x44 && h[11]! >= 0x6b && h[11]! <= 0x6d)
    return {
      id: 'garmin-gdb',
      name: 'Garmin MapSource/BaseCamp database',
      evidence: `"MsRcf" and a "D" record of version ${String.fromCharCode(h[11]!)}`,
      readers: "Garmin MapSource, BaseCamp and gpsbabel's gdb reader",
    };
  if (text(h, 8, 'GRMREC') && digit(h[14]) && digit(h[15]))
    return {
      id: 'garmin-gpi',
      name: 'Garmin custom POI file (GPI)',
      evidence: '"GRMREC" and a two-digit version at offset 8',
      readers: "Garmin's navigators, POI Loader and gpsbabel",
    };
  if (h[0] === 211 && h[1] === 0 && text(h, 2, 'TrackMaker'))
    return {
      id: 'gps-trackmaker',
      name: 'GPS TrackMaker file',
      evidence: 'the version word 211 and "TrackMaker"',
      readers: 'GPS TrackMaker and gpsbabel',
    };
  return undefined;
}

export const gpsExchangeDetector = defineDetector({
  meta: {
    id: 'gps-exchange',
    version: '1.0.0',
    title: 'Garmin MapSource databases, Garmin POI files and GPS TrackMaker files (named; opaque)',
    formats: [
      {
        id: 'garmin-gdb',
        name: 'Garmin MapSource/BaseCamp database',
        status: 'opaque',
        how: 'signature',
        extensions: ['gdb'],
      },
      {
        id: 'garmin-gpi',
        name: 'Garmin custom POI file (GPI)',
        status: 'opaque',
        how: 'signature',
        extensions: ['gpi'],
      },
      { id: 'gps-trackmaker', name: 'GPS TrackMaker file', status: 'opaque', how: 'signature', extensions: ['gtm'] },
    ],
  },
  signatures: [
    { offset: 0, hex: '4d7352636600' },
    { offset: 8, hex: '47524d524543' },
    { offset: 0, hex: 'd300' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const k = kind(probe.head);
    if (!k) return undefined;
    return plain('opaque', {
      id: k.id,
      name: k.name,
      confidence: 0.9,
      code: 'GPS_EXCHANGE_HEADER',
      message: `${k.evidence}: a ${k.name}, niche binary read by ${k.readers}${k.id === 'garmin-gpi' ? ' (a GPI sold by Garmin may be locked to a device: not checked here)' : ''}.`,
      details: { kind: k.id },
    });
  },
});
