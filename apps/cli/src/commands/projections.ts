import type { Command } from 'commander';
import { textTable } from '../../../ledger/src/common/text-table';
import { ReadSide } from '../../../ledger/src/compliance/read-side';
import { withLedger } from '../app-context';
import { CliError, EXIT_CODES } from '../cli-error';
import { progress } from '../progress';

export const registerProjectionCommands = (program: Command): void => {
  const projections = program.command('projections').description('tampilan baca (read models)');
  projections
    .command('rebuild [name]')
    .description('membangun ulang tampilan baca dari posisi 0 (hentikan layanan lebih dulu)')
    .action(async (name?: string) => {
      await withLedger(
        async (app) => {
          const read = app.get(ReadSide);
          const known = (await read.runner.status()).map((s) => s.name);
          if (name !== undefined && !known.includes(name)) {
            throw new CliError(
              `Tampilan "${name}" tidak dikenal. Yang ada: ${known.join(', ')}`,
              EXIT_CODES.usage,
            );
          }
          await read.runner.stop();
          const store = read.runner.store;
          const total = Number((await store.headPosition()) ?? 0n);
          const bar = progress('membangun ulang', total);
          const started = performance.now();
          const events = await read.runner.rebuild((done) => bar.update(done));
          bar.stop();
          const seconds = (performance.now() - started) / 1000;
          console.log(
            `${events} event diputar ulang dalam ${seconds.toFixed(1)} s (${Math.round(events / Math.max(seconds, 0.001))} event/s): ${known.join(', ')}.`,
          );
        },
        { exclusive: 'Hentikan layanan lebih dulu, lalu jalankan perintah ini lagi.' },
      );
    });
  projections
    .command('status')
    .description('posisi dan ketertinggalan setiap tampilan baca')
    .action(async () => {
      await withLedger(async (app) => {
        const status = await app.get(ReadSide).runner.status();
        console.log(
          textTable(
            ['tampilan', 'versi', 'posisi', 'tertinggal (event)'],
            status.map((p) => [p.name, String(p.version), p.position ?? '—', p.lag]),
          ),
        );
      });
    });
};
