/**
 * @netral/config — the one place that reads `process.env`. It validates every variable once at boot and
 * hands out a typed, frozen AppConfig. Must not import any other @netral lib.
 */
export { AppConfig, ConfigValidationError, configFor, loadConfig } from './app-config';
export { ConfigModule } from './config.module';
export { EnvironmentVariables } from './env.schema';
