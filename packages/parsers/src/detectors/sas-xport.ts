/**
 * SAS transport (XPORT) files (`.xpt`): the data-set exchange format SAS's
 * XPORT engine and %LOC2XPT write, the one regulators ask clinical data in;
 * ReadStat, pandas.read_sas, R's foreign::read.xport and haven read it. The
 * file is 80-byte records: a library header record, then "SAS" symbol
 * records with the SAS version, OS and creation time, then member, namestr
 * and observation headers, the observations being IBM-floating-point numbers
 * and padded text. libmagic 5.44 has no rule for it, so it was opaque. The
 * whole first record is fixed (version 5: "LIBRARY", version 8/9: "LIBV8")
 * and the second starts "SAS     SAS     SASLIB": both are checked.
 * Reference: SAS Technical Support TS-140 "The record layout of a data set
 * in SAS transport (XPORT) format"; SAS 9.4 "Record Layout of a SAS Version
 * 8 or 9 Data Set in SAS Transport Format".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const RECORD = 80;
const PREFIX = 'HEADER RECORD*******';
const LIBRARY = /^HEADER RECORD\*{7}(LIBRARY |LIBV8 {3})HEADER RECORD!{7}0{30} {2}$/;
const FIRST_REAL = /^SAS {5}SAS {5}SASLIB {2}(.{8})(.{8})/;

export const sasXportDetector = defineDetector({
  meta: {
    id: 'sas-xport',
    version: '1.0.0',
    title: 'SAS transport (XPORT) files (library header and first real header records)',
    formats: [
      {
        id: 'sas-xport',
        name: 'SAS transport (XPORT) file',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-sas-xport',
        extensions: ['xpt', 'xport'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: PREFIX }],
  minSize: 3 * RECORD,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const lib = LIBRARY.exec(ascii(h, 0, RECORD));
    const real = FIRST_REAL.exec(ascii(h, RECORD, 2 * RECORD));
    if (!lib || !real) return undefined;
    const version = lib[1] === 'LIBV8   ' ? '8/9' : '5';
    const sas = real[1]!.trim();
    const os = real[2]!.trim();
    return plain('analysable', {
      id: 'sas-xport',
      name: 'SAS transport (XPORT) file',
      mime: 'application/x-sas-xport',
      confidence: 0.95,
      code: 'SAS_XPORT_HEADER',
      message: `SAS transport (XPORT) version ${version} library header record, then the first real header record (SAS ${sas || 'version not given'}${os ? ` on ${os}` : ''}): readable by ReadStat, pandas and R without a secret.`,
      figures: { transportVersion: version, sasVersion: sas },
      details: { transportVersion: version },
    });
  },
});
