import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { LedgerWriteModule } from '../ledger-write.module';
import { DemoSeeder } from './demo.seeder';

@Module({ imports: [IdentityModule, LedgerWriteModule], providers: [DemoSeeder] })
export class DemoModule {}
