import { z } from 'zod';
import {
  AttackPlatform,
  Campaign,
  CampaignSummary,
  ImportRun,
  Software,
  SoftwareSummary,
  Tactic,
  Technique,
  TechniqueSummary,
  ThreatActor,
  ThreatActorSummary,
} from './attack';
import { AuditLog } from './audit-logs';
import { ApiToken, Me } from './auth';
import {
  ComplianceControl,
  D3fendTechnique,
  DataSource,
  DetectionRule,
  DetectionRuleSummary,
  SourceSyncRun,
  TestTemplate,
  TestTemplateSummary,
} from './catalog';
import { CoverageReport } from './coverage';
import { Evidence } from './evidence';
import { Notification } from './notifications';
import {
  ActorScore,
  ActorScoreSummary,
  OrganizationScore,
  ScoringConfigRecord,
  TacticScore,
  TacticScoreSummary,
  TechniqueScore,
  TechniqueScoreSummary,
} from './scores';
import { Health } from './system';
import { PendingTask, Remediation, TestCase, TestCaseSummary } from './test-cases';
import { AssignableUser, User } from './users';

/**
 * The resources a client works with, named in the OpenAPI document (`components.schemas`), so a
 * generated client has `TestCase`, `User`, … instead of the same shape inlined in every operation
 * (ADR 14). The name is the contract's own; a schema derived from one (`.extend`) is a new shape.
 */
const NAMED = {
  ActorScore,
  ActorScoreSummary,
  ApiToken,
  AssignableUser,
  AttackPlatform,
  AuditLog,
  Campaign,
  CampaignSummary,
  ComplianceControl,
  CoverageReport,
  D3fendTechnique,
  DataSource,
  DetectionRule,
  DetectionRuleSummary,
  Evidence,
  Health,
  ImportRun,
  Me,
  Notification,
  OrganizationScore,
  PendingTask,
  Remediation,
  ScoringConfigRecord,
  Software,
  SoftwareSummary,
  SourceSyncRun,
  Tactic,
  TacticScore,
  TacticScoreSummary,
  Technique,
  TechniqueScore,
  TechniqueScoreSummary,
  TechniqueSummary,
  TestCase,
  TestCaseSummary,
  TestTemplate,
  TestTemplateSummary,
  ThreatActor,
  ThreatActorSummary,
  User,
};
for (const [id, schema] of Object.entries(NAMED)) z.globalRegistry.add(schema as z.ZodType, { id });
