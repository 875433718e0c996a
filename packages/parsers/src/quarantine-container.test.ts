import { describe, expect, it } from 'vitest';
import { scanFixtures } from './scan-fixtures.test-helper.js';
import { restoreQuarantined, restoredMemberName } from './quarantine-container.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

describe('quarantine files opened: the quarantined file restored under the published key', () => {
  it('restores the EICAR test file from each layout and scans it as a member', async () => {
    const items = new Map([
      ...(await scanFixtures('av-quarantine')),
      ...(await scanFixtures('malwarebytes-quarantine')),
    ]);
    const members = [...items.values()].filter((i) => i.path.includes('!/'));
    const byContainer = new Map(members.map((m) => [m.path.split('!/')[0], m]));
    const expected: Array<[string, string]> = [
      ['ProgramData/Avira/Antivirus/INFECTED/4f1a2b3c.qua', 'eicar.com'],
      ['ProgramData/Kaspersky Lab/AVP21.3/QB/1f3a7c9e0b2d4f68.klq', '1f3a7c9e0b2d4f68.klq.restored'],
      ['ProgramData/Trend Micro/Security Agent/SUSPECT/VSBX_2b7e9d14.qtn', 'eicar.com'],
      [
        'ProgramData/G Data/AVK/Quarantine/ALICE-PC 061224120000 1A2B3C4D.q',
        'ALICE-PC 061224120000 1A2B3C4D.q.restored',
      ],
      [
        'ProgramData/Malwarebytes/MBAMService/Quarantine/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f.quar',
        '8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f.quar.restored',
      ],
    ];
    for (const [container, name] of expected) {
      const member = byContainer.get(container);
      expect(member?.path, container).toBe(`${container}!/${name}`);
      expect(member?.size, container).toBe(EICAR.length);
      expect(member?.classification.status, container).toBe('analysable');
    }
    // The metadata-only and key-less stores are not opened.
    expect(byContainer.has('ProgramData/AVAST Software/Avast/chest/1')).toBe(false);
  });

  it('names the member by the original file where the quarantine keeps it, never with a directory', () => {
    expect(restoredMemberName('Q/x.qua', 'C:\\Users\\alice\\Downloads\\eicar.com')).toBe('eicar.com');
    expect(restoredMemberName('Q/x.qua', '..')).toBe('x.qua.restored');
    expect(restoredMemberName('a.zip!/Q/x.klq', undefined)).toBe('x.klq.restored');
  });
});

describe('fuzz: quarantine restorers', () => {
  it('flipped and cut quarantine files restore or give a coded error, never another exception', async () => {
    const fs = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
    const seeds: Array<[string, string, number]> = [
      ['ProgramData/Avira/Antivirus/INFECTED/4f1a2b3c.qua', 'avira-quarantine', 0],
      ['ProgramData/Kaspersky Lab/AVP21.3/QB/1f3a7c9e0b2d4f68.klq', 'kaspersky-klq-quarantine', 0],
      ['ProgramData/Trend Micro/Security Agent/SUSPECT/VSBX_2b7e9d14.qtn', 'trendmicro-vsbx-quarantine', 0],
      ['ProgramData/G Data/AVK/Quarantine/ALICE-PC 061224120000 1A2B3C4D.q', 'gdata-quarantine', 0],
      [
        'ProgramData/Malwarebytes/MBAMService/Quarantine/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f.quar',
        'malwarebytes-quarantine',
        1,
      ],
    ];
    let seed = 20261207;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    let restored = 0;
    for (const [file, format, generation] of seeds) {
      const folder = format === 'malwarebytes-quarantine' ? 'malwarebytes-quarantine/' : 'av-quarantine/';
      const original = fs.readFileSync(fixtures + folder + file);
      for (let round = 0; round < 400; round++) {
        const bytes = Buffer.from(original.subarray(0, round % 4 === 3 ? next(original.length + 1) : original.length));
        for (let k = 0; k < 1 + next(6) && bytes.length > 0; k++) bytes[next(bytes.length)] = next(256);
        try {
          expect(restoreQuarantined(format, bytes, generation).bytes.length).toBeLessThanOrEqual(bytes.length);
          restored++;
        } catch (err) {
          expect((err as { code?: string }).code).toMatch(/^QUARANTINE_/);
        }
      }
    }
    expect(restored).toBeGreaterThan(500);
  });
});
