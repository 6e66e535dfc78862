/**
 * @netral/config — the one place that reads `process.env`. It validates every variable once at boot and
 * hands out a typed, frozen AppConfig. Of the other @netral libs it uses only the event store's redaction of
 * a connection string.
 */
export { AppConfig, ConfigValidationError, configFor, loadConfig } from './app-config';
export { ConfigModule } from './config.module';
export { EnvironmentVariables } from './env.schema';
export type { ConfigProblem } from './environment-checks';
