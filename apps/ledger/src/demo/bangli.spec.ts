import { validateNip } from '@netral/domain';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BANGLI_OPDS, demoWorkforce } from './bangli';
import { demoRoster } from './demo.seeder';

describe('the demo workforce of Kabupaten Bangli', () => {
  const people = demoWorkforce(600);
  const heads = new Map(BANGLI_OPDS.map((opd, i) => [opd.opdId, people[i]]));

  it('titles each head as the office is headed', () => {
    expect(heads.get('sekretariat-daerah')?.position).toBe('Sekretaris Daerah');
    expect(heads.get('sekretariat-dprd')?.position).toBe('Sekretaris DPRD');
    expect(heads.get('inspektorat')?.position).toBe('Inspektur Daerah');
    expect(heads.get('rsud-bangli')?.position).toBe('Direktur RSUD Bangli');
    expect(heads.get('kecamatan-kintamani')?.position).toBe('Camat Kintamani');
    expect(heads.get('bpbd')?.position).toBe('Kepala Pelaksana BPBD');
    expect(heads.get('dinas-kesehatan')?.position).toBe('Kepala Dinas Kesehatan');
    expect(
      [...heads.values()].every(
        (h) => !/^Kepala (Kecamatan|Sekretariat|Inspektorat|RSUD)/.test(h.position),
      ),
    ).toBe(true);
  });

  it('heads are senior PNS: at least 45 years old and 19 years in service by 2024', () => {
    for (const head of heads.values()) {
      expect(head.employmentType).toBe('PNS');
      expect(2024 - Number(head.nip.slice(0, 4))).toBeGreaterThanOrEqual(45);
      expect(2024 - Number(head.nip.slice(8, 12))).toBeGreaterThanOrEqual(19);
    }
  });

  it('gives functional positions only where they belong', () => {
    const where = (position: string) =>
      new Set(people.filter((p) => p.position === position).map((p) => p.opdId));
    expect([...where('Guru')]).toEqual(['dinas-pendidikan']);
    expect([...where('Auditor')]).toEqual(['inspektorat']);
    expect([...where('Bidan')].sort()).toEqual(['dinas-kesehatan', 'rsud-bangli']);
    expect([...where('Polisi Pamong Praja')]).toEqual(['satpol-pp']);
  });

  it('every NIP is valid and distinct', () => {
    expect(people.every((p) => validateNip(p.nip).valid)).toBe(true);
    expect(new Set(people.map((p) => p.nip)).size).toBe(people.length);
  });
});

describe('the shipped ASN sample (samples/asn-bangli.csv)', () => {
  it('is the first 120 ASN of the demo regency as seeded, so importing it on the demo changes nothing', () => {
    const codes = new Map(BANGLI_OPDS.map((opd) => [opd.opdId, opd.code]));
    const cell = (text: string) => (/[;,"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const expected = [
      'NIP;Nama;Jabatan;Jenis ASN;Kode OPD',
      ...demoRoster()
        .slice(0, 120)
        .map((p) =>
          [p.nip, p.name, p.position, p.employmentType, codes.get(p.opdId)!].map(cell).join(';'),
        ),
    ];
    const file = join(__dirname, '../../../../samples/asn-bangli.csv');
    // After a change to the demo workforce: NETRAL_WRITE_SAMPLES=1 npx jest bangli.spec writes it anew.
    if (process.env.NETRAL_WRITE_SAMPLES === '1') {
      writeFileSync(file, `\ufeff${expected.join('\n')}\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe(`\ufeff${expected.join('\n')}\n`);
  });

  it('repeats no name within a person ("Mahendra Mahendra")', () => {
    for (const { name } of demoRoster()) {
      const parts = name.split(' ');
      expect(new Set(parts).size).toBe(parts.length);
    }
  });
});
