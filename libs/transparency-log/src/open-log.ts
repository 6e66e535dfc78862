import type { EventStore } from '@netral/event-store';
import { join } from 'node:path';
import { TransparencyLogService } from './audit-service';
import { type CheckpointKey, type CheckpointSettings, loadCheckpointKey } from './keys';
import { LogBuilder, type LogBuilderOptions } from './log-builder';
import { TRANSPARENCY_LOG_FILE, TransparencyLog } from './tree-store';

export interface OpenedTransparencyLog {
  log: TransparencyLog;
  builder: LogBuilder;
  service: TransparencyLogService;
  key: CheckpointKey;
  /** Stops the builder, then closes the log file. */
  close(): Promise<void>;
}

/**
 * Wires the pieces the way the service runs them: the checkpoint key (configured or generated), the log
 * file in the data directory, a builder following `store` and the route-facing service. Call
 * `builder.start()` to catch up and follow; `close()` on shutdown.
 */
export const openTransparencyLog = (
  settings: CheckpointSettings,
  store: EventStore,
  options: Pick<LogBuilderOptions, 'now' | 'onFailure' | 'onCheckpoint' | 'tailToVerify'> & {
    file?: string;
  } = {},
): OpenedTransparencyLog => {
  const { file, ...builderOptions } = options;
  const key = loadCheckpointKey(settings);
  const log = new TransparencyLog(file ?? join(settings.dataDir, TRANSPARENCY_LOG_FILE), {
    origin: settings.checkpoint.origin,
    keyName: key.keyName,
    privateKey: key.privateKey,
  });
  const builder = new LogBuilder({
    store,
    log,
    everyEvents: settings.checkpoint.everyEvents,
    everySeconds: settings.checkpoint.everySeconds,
    ...builderOptions,
  });
  return {
    log,
    builder,
    service: new TransparencyLogService(store, log, builder, key.verifierKey),
    key,
    close: async () => {
      await builder.stop();
      log.close();
    },
  };
};
