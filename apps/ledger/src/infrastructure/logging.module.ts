import { Module } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import type { Options } from 'pino-http';
import { build as pretty } from 'pino-pretty';
import { correlationIdFor } from '../common/correlation';
import { withoutCsrfToken } from '../common/logged-url';

/** Structured logs (pino). Each request gets a correlation id, logged as `correlationId` on every line it
 * causes (the same value as in X-Correlation-Id and in the metadata of the events it writes). Credentials
 * never reach the logs, nor the CSRF token a multipart form's URL carries.
 *
 * Lines (JSON, or pino-pretty's for humans) are written to stdout synchronously, in the main thread.
 * pino's default stream and its transports (a worker thread) buffer while a write is in
 * flight and flush only on the process's 'exit' event, which never fires when the service ends by
 * re-raising SIGTERM after a graceful shutdown: the last lines ("event store closed") could be lost, and
 * they are the ones an operator reads after a stop. A line costs a few microseconds to a pipe or file. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = {
          level: config.log.level,
          genReqId: correlationIdFor,
          customProps: (req) => ({ correlationId: req.id }),
          autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.password',
              '*.passwordHash',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { method: string; url: string }) => ({
              method: req.method,
              url: withoutCsrfToken(req.url),
            }),
            // The status, not the headers: the same security headers on every line tell nothing.
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        } satisfies Options;
        return {
          pinoHttp: [
            options,
            config.log.format === 'pretty'
              ? pretty({ singleLine: true, translateTime: 'SYS:HH:MM:ss', sync: true })
              : destination({ dest: 1, sync: true }),
          ],
        };
      },
    }),
  ],
})
export class LoggingModule {}
