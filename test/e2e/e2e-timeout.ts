// Each e2e test boots the whole service (Nest, SQLite files, the signing key) and many seed a ledger in a
// hook: on a 2-core CI machine running two Jest workers beside each other that takes seconds, and Jest's
// 5 s default once failed CI on a seeding hook (tamper.e2e-spec.ts). A hang is still caught, in 30 s.
jest.setTimeout(30_000);
