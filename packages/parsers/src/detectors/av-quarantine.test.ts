import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import type { Detection } from '@evtriage/core/contract';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { avQuarantineDetector } from './av-quarantine.js';
import { mcafeeBupDetector } from './mcafee-bup.js';
import { malwarebytesQuarantineDetector } from './malwarebytes-quarantine.js';
import { ole2Detector } from './ole2.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const root = new URL('../../fixtures/av-quarantine/', import.meta.url);
const bupRoot = new URL('../../fixtures/mcafee-bup/', import.meta.url);
const mbRoot = new URL('../../fixtures/malwarebytes-quarantine/', import.meta.url);
const read = (base: URL, file: string) => new Uint8Array(fs.readFileSync(path.join(fileURLToPath(base), file)));
const fixture = (file: string) => read(root, file);
const bupFixture = (file: string) => read(bupRoot, file);
const mbFixture = (file: string) => read(mbRoot, file);
const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

const SEP = 'ProgramData/Symantec/Symantec Endpoint Protection/CurrentVersion/Data/Quarantine';
const VBN = `${SEP}/5D4A1B2C/5D4A1B2D.VBN`;
const VBN_META = `${SEP}/5D4A1B2C.VBN`;
const KLQ = 'ProgramData/Kaspersky Lab/AVP21.3/QB/1f3a7c9e0b2d4f68.klq';
const QUA = 'ProgramData/Avira/Antivirus/INFECTED/4f1a2b3c.qua';
const VSBX = 'ProgramData/Trend Micro/Security Agent/SUSPECT/VSBX_2b7e9d14.qtn';
const GDATA = 'ProgramData/G Data/AVK/Quarantine/ALICE-PC 061224120000 1A2B3C4D.q';
const CHEST = 'ProgramData/AVAST Software/Avast/chest/1';
const BUP = 'ProgramData/McAfee/Common Framework/Quarantine/5a3c2e1f0d.bup';
const MB = 'ProgramData/Malwarebytes/MBAMService/Quarantine';
const MB_QUAR = `${MB}/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f.quar`;
const MB_DATA = `${MB}/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f.data`;
const MB_RANDOM_QUAR = `${MB}/00000000-1111-2222-3333-444444444444.quar`;
const MB_RANDOM_DATA = `${MB}/00000000-1111-2222-3333-444444444444.data`;
const RANDOM_QUA = 'ProgramData/Avira/Antivirus/INFECTED/0badf00d.qua';
const CLEAR_CFB = 'ProgramData/McAfee/Common Framework/Quarantine/not-obfuscated.cfb';

// Published layouts with the EICAR test string inside (fixtures/av-quarantine/generate.sh); the .bup by gsf createole.
testDetector(
  avQuarantineDetector,
  {
    fixtures: root,
    valid: [
      { file: VBN, format: 'symantec-vbn-quarantine', status: 'opaque', reasons: ['SYMANTEC_VBN_QUARANTINE'] },
      { file: VBN_META, format: 'symantec-vbn-metadata', status: 'opaque', reasons: ['SYMANTEC_VBN_METADATA'] },
      { file: KLQ, format: 'kaspersky-klq-quarantine', status: 'opaque', reasons: ['KASPERSKY_KLQB_QUARANTINE'] },
      { file: QUA, format: 'avira-quarantine', status: 'opaque', reasons: ['AVIRA_QUA_QUARANTINE'] },
      { file: VSBX, format: 'trendmicro-vsbx-quarantine', status: 'opaque', reasons: ['TRENDMICRO_VSBX_QUARANTINE'] },
      { file: GDATA, format: 'gdata-quarantine', status: 'opaque', reasons: ['GDATA_QUARANTINE'] },
      { file: CHEST, format: 'avast-chest-quarantine', status: 'opaque', reasons: ['AVAST_CHEST_MAGIC'] },
    ],
    invalid: [{ file: RANDOM_QUA, name: 'random bytes named like an Avira quarantine file' }],
  },
  { framework: { describe, it } },
);

testDetector(
  mcafeeBupDetector,
  {
    fixtures: bupRoot,
    valid: [{ file: BUP, format: 'mcafee-bup-quarantine', status: 'opaque', reasons: ['MCAFEE_BUP_STREAMS'] }],
    invalid: [{ file: CLEAR_CFB, name: 'a compound file with Details and File_0 streams in clear (gsf createole)' }],
  },
  { framework: { describe, it } },
);

testDetector(
  malwarebytesQuarantineDetector,
  {
    fixtures: mbRoot,
    valid: [
      { file: MB_QUAR, format: 'malwarebytes-quarantine', status: 'opaque', reasons: ['MALWAREBYTES_QUARANTINE_FILE'] },
      {
        file: MB_DATA,
        format: 'malwarebytes-quarantine-metadata',
        status: 'opaque',
        reasons: ['MALWAREBYTES_QUARANTINE_METADATA'],
      },
    ],
    invalid: [
      { file: MB_RANDOM_QUAR, name: 'random bytes named .quar' },
      { file: MB_RANDOM_DATA, name: 'random bytes named .data' },
    ],
  },
  { framework: { describe, it } },
);

describe('antivirus quarantine files through the whole engine', () => {
  it('names each store opaque, where statistics alone said encrypted, text or a readable OLE2 file', async () => {
    const items = new Map([
      ...(await scanFixtures('av-quarantine')),
      ...(await scanFixtures('mcafee-bup')),
      ...(await scanFixtures('malwarebytes-quarantine')),
    ]);
    const expected: Array<[string, string]> = [
      [VBN, 'symantec-vbn-quarantine'],
      [VBN_META, 'symantec-vbn-metadata'],
      [KLQ, 'kaspersky-klq-quarantine'],
      [QUA, 'avira-quarantine'],
      [VSBX, 'trendmicro-vsbx-quarantine'],
      [GDATA, 'gdata-quarantine'],
      [CHEST, 'avast-chest-quarantine'],
      [BUP, 'mcafee-bup-quarantine'],
      [MB_QUAR, 'malwarebytes-quarantine'],
      [MB_DATA, 'malwarebytes-quarantine-metadata'],
    ];
    for (const [file, id] of expected) {
      expect(items.get(file)?.format?.id, file).toBe(id);
      expect(items.get(file)?.classification.status, file).toBe('opaque');
    }
    // Random bytes under Malwarebytes' names stay suspect: the key streams do not open them.
    expect(items.get(MB_RANDOM_QUAR)?.classification.status).toBe('encrypted');
    expect(items.get(MB_RANDOM_DATA)?.classification.status).toBe('encrypted');
  });

  it('reads the header fields under the published keys', () => {
    const d = (det: typeof avQuarantineDetector, file: string) =>
      (det.detect(wholeFileProbe(fixture(file), path.basename(file)), ctx) as Detection).reasons[0]!.figures;
    expect(d(avQuarantineDetector, QUA)).toMatchObject({ quarantinedBytes: 68, threat: 'Eicar-Test-Signature' });
    expect(d(avQuarantineDetector, KLQ)).toMatchObject({ headerBytes: 64, quarantinedBytes: 68 });
    expect(d(avQuarantineDetector, VSBX)).toMatchObject({ tags: 6, originalName: 'eicar.com' });
    expect(d(avQuarantineDetector, VBN)).toMatchObject({ originalPath: 'C:\\Users\\alice\\Downloads\\eicar.com' });
    expect(d(avQuarantineDetector, GDATA)).toMatchObject({ quarantinedBytes: 68 });
    const bup = mcafeeBupDetector.detect(wholeFileProbe(bupFixture(BUP), 'x.bup'), ctx) as Detection;
    expect(bup.reasons[0]?.figures).toMatchObject({ quarantinedFiles: 1 });
  });

  it('the McAfee check outranks the plain OLE2 answer, and a plain OLE2 document is left to it', () => {
    const bup = wholeFileProbe(bupFixture(BUP), 'x.bup');
    const mine = mcafeeBupDetector.detect(bup, ctx) as Detection;
    const ole = ole2Detector.detect(bup, ctx) as Detection;
    expect(mine.confidence).toBeGreaterThan(ole.confidence);
    const doc = fs.readFileSync(
      fileURLToPath(new URL('../../fixtures/ole2-encryption/', import.meta.url)) + 'excel-clear.xls',
    );
    expect(mcafeeBupDetector.detect(wholeFileProbe(new Uint8Array(doc), 'excel-clear.xls'), ctx)).toBeUndefined();
  });

  it('refuses lengths that leave the file, and a Java class or universal binary starting ca fe ba be', () => {
    const klq = fixture(KLQ);
    expect(avQuarantineDetector.detect(wholeFileProbe(klq.subarray(0, klq.length - 1)), ctx)).toBeUndefined();
    const qua = Uint8Array.from(fixture(QUA));
    qua[0x14]! += 2; // the path length no longer adds up to the data offset
    expect(avQuarantineDetector.detect(wholeFileProbe(qua), ctx)).toBeUndefined();
    const java = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, ...new Array<number>(200).fill(1)]);
    expect(avQuarantineDetector.detect(wholeFileProbe(java, 'A.class'), ctx)).toBeUndefined();
    const fat = Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, ...new Array<number>(200).fill(0)]);
    expect(avQuarantineDetector.detect(wholeFileProbe(fat, 'lib.dylib'), ctx)).toBeUndefined();
  });

  it('30,000 random buffers behind the signatures are recognised by none', () => {
    let seed = 20261207;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const heads = ['90120000', 'KLQB', 'AntiVir Qua\0\0\0\0\0', 'a9acbda7', 'cafebabe', 'd0cf11e0a1b11ae1'];
    let hits = 0;
    for (let i = 0; i < 30_000; i++) {
      const lead = heads[i % heads.length]!;
      const head = /^[0-9a-f]+$/.test(lead) ? Buffer.from(lead, 'hex') : Buffer.from(lead, 'latin1');
      const b = new Uint8Array(64 + (i % 900));
      for (let j = 0; j < b.length; j++) b[j] = next();
      b.set(head, 0);
      const ext = i % 2 ? 'x.quar' : 'x.data';
      if (avQuarantineDetector.detect(wholeFileProbe(b), ctx)) hits++;
      if (mcafeeBupDetector.detect(wholeFileProbe(b), ctx)) hits++;
      if (malwarebytesQuarantineDetector.detect(wholeFileProbe(b, ext), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: av-quarantine', () => {
  const seeds: Array<[string, Uint8Array]> = [VBN, VBN_META, KLQ, QUA, VSBX, GDATA, CHEST].map((file) => [
    path.basename(file),
    fixture(file).subarray(0, 8192),
  ]);
  fuzzFlipCutGrow(avQuarantineDetector, seeds, 20, { wholeHalf: true, ctx });
});
describe('fuzz: mcafee-bup', () => {
  fuzzFlipCutGrow(mcafeeBupDetector, [['x.bup', bupFixture(BUP)]], 20, { wholeHalf: true, ctx });
});
describe('fuzz: malwarebytes-quarantine', () => {
  fuzzFlipCutGrow(
    malwarebytesQuarantineDetector,
    [
      ['x.quar', mbFixture(MB_QUAR)],
      ['x.data', mbFixture(MB_DATA)],
    ],
    20,
    { wholeHalf: true, ctx },
  );
});
