import { tempDir } from '@netral/testing';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES } from '../cli-error';
import { runCommand } from '../testing/run-command';
import { registerImportCommands } from './import';

/** What a regency admin types, and what the CLI answers before (or instead of) touching the ledger. */
describe('netral import: what was named is not a usable file', () => {
  let dataDir: string;
  let cli: ReturnType<typeof runCommand>;
  beforeAll(() => {
    dataDir = tempDir();
    cli = runCommand(registerImportCommands, { NETRAL_DATA_DIR: dataDir });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a folder (e.g. the unzipped SIASN export): exit 2 naming it, not a crash with EISDIR', async () => {
    const folder = join(dataDir, 'ekspor-siasn');
    mkdirSync(folder);
    for (const kind of ['asn', 'opds']) {
      const run = await cli('import', kind, folder, '--dry-run');
      expect(run).toEqual({
        code: EXIT_CODES.usage,
        output: `Berkas ${folder} bukan berkas biasa (folder?): berikan berkasnya sendiri.`,
      });
    }
  });

  it('a missing path: exit 2 naming it', async () => {
    const run = await cli('import', 'asn', join(dataDir, 'tidak-ada.csv'));
    expect(run).toEqual({
      code: EXIT_CODES.usage,
      output: `Berkas tidak ditemukan: ${join(dataDir, 'tidak-ada.csv')}`,
    });
  });

  it('two files (import asn *.csv): exit 2, neither imported, instead of the first alone', async () => {
    const files = ['a.csv', 'b.csv'].map((name) => join(dataDir, name));
    for (const file of files) {
      writeFileSync(file, 'NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n');
    }
    const run = await cli('import', 'asn', ...files, '--dry-run');
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.output).toContain('too many arguments');
    expect(run.output).not.toContain('baris');
  });

  it('a long list of problems ends with them summed up by kind, most frequent first', async () => {
    const file = join(dataDir, 'systematic.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `12345${i};ASN ${i};Staf;PNS;DINKES`);
    writeFileSync(
      file,
      `NIP;Nama;Jabatan;Jenis ASN;Kode OPD\n${rows.join('\n')}\n198503122010011002;X;Staf;PNS;DINKES\n`,
    );
    const run = await cli('import', 'asn', file, '--dry-run');
    expect(run.code).toBe(EXIT_CODES.rejected);
    const summary = run.output.slice(run.output.indexOf('Ringkasan:')).split('\n');
    expect(summary[0]).toBe('Ringkasan: 61 masalah di 31 baris; tidak ada data yang disimpan.');
    expect(summary[1]).toMatch(/^ {2}31 × kolom Kode OPD: .+ \(pertama di baris 2\)$/);
    expect(summary[2]).toMatch(/^ {2}30 × kolom NIP: .+ \(pertama di baris 2\)$/);
    expect(summary).toHaveLength(4); // and the closing line of the CLI
  });
});
