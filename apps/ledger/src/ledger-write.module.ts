import { Module } from '@nestjs/common';
import { CaseCommands } from './cases/case.commands';
import { ReportRulesBesideShape, SanctionRulesBesideShape } from './cases/case.rules';
import { CasesApiController } from './cases/cases.api.controller';
import { ElectionCommands } from './elections/election.commands';
import { ElectionRulesBesideShape } from './elections/election.rules';
import { ElectionsApiController } from './elections/elections.api.controller';
import { Facts } from './infrastructure/facts';
import { PledgeCommands } from './pledges/pledge.commands';
import { PledgeRulesBesideShape } from './pledges/pledge.rules';
import { PledgesApiController } from './pledges/pledges.api.controller';
import { AsnApiController, OpdsApiController } from './registry/registry.api.controller';
import { AsnCommands, OpdCommands } from './registry/registry.commands';
import { OpdMembershipLock } from './registry/opd-membership';
import { RegistryFacts } from './registry/registry-facts';
import { RosterImport } from './registry/roster-import';

/** The write side: one command service per aggregate (the only writers) and their routes. */
@Module({
  controllers: [
    ElectionsApiController,
    OpdsApiController,
    AsnApiController,
    PledgesApiController,
    CasesApiController,
  ],
  providers: [
    Facts,
    RegistryFacts,
    OpdMembershipLock,
    ElectionCommands,
    OpdCommands,
    AsnCommands,
    PledgeCommands,
    CaseCommands,
    RosterImport,
    // Told beside a refused body's shape by the global pipe (see RulesBesideShape).
    ElectionRulesBesideShape,
    PledgeRulesBesideShape,
    ReportRulesBesideShape,
    SanctionRulesBesideShape,
  ],
  exports: [
    Facts,
    ElectionCommands,
    OpdCommands,
    AsnCommands,
    PledgeCommands,
    CaseCommands,
    RosterImport,
  ],
})
export class LedgerWriteModule {}
