// Every test runs in UTC so dates and deadlines never depend on the machine's zone.
process.env.TZ = 'UTC';
