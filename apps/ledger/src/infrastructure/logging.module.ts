import { Module } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import { LoggerModule } from 'nestjs-pino';
import { correlationIdFor } from '../common/correlation';

/** Structured logs (pino). Each request gets a correlation id, logged as `correlationId` on every line it
 * causes (the same value as in X-Correlation-Id and in the metadata of the events it writes). Credentials
 * never reach the logs. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
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
              url: req.url,
            }),
          },
          ...(config.log.format === 'pretty'
            ? {
                transport: {
                  target: 'pino-pretty',
                  options: { singleLine: true, translateTime: 'SYS:HH:MM:ss' },
                },
              }
            : {}),
        },
      }),
    }),
  ],
})
export class LoggingModule {}
