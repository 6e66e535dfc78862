import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/document-store';
import { IdentityModule } from '../identity/identity.module';
import { LedgerWriteModule } from '../ledger-write.module';
import { DemoSeeder } from './demo.seeder';

@Module({ imports: [IdentityModule, LedgerWriteModule, DocumentsModule], providers: [DemoSeeder] })
export class DemoModule {}
