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
});
