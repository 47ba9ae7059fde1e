import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ToolResultStore } from '../vapi/tool-result.store';
import { AdminApiKeyGuard } from '../common/admin-api-key.guard';
import { appConfig } from '../config/app.config';
import { storeConfig } from '../store/store.config';
import { CallerVoice } from '../vapi/caller-voice';
import { VapiCallHandler } from '../vapi/vapi-call.handler';
import { AssistantPlanBuilder } from './assistant-plan.builder';
import { CallLatencyMetrics } from './call-latency.metrics';
import { CallLogService } from './call-log.service';
import { CallReconcilerService } from './call-reconciler.service';
import { CallWorkflowService } from './call-workflow.service';
import { CallerIdentityService } from './caller-identity.service';
import { CallerVerificationService } from './caller-verification.service';
import { CallerScope } from './caller-scope.service';
import { callsConfig } from './calls.config';
import { CallsController } from './calls.controller';
import { CALL_DELIVERY_HANDLERS } from './deliveries';
import { KnowledgeService } from './knowledge/knowledge.service';
import { CallsRepository } from './calls.repository';
import { CallsToolResultStore } from './calls-tool-result.store';
import { RetentionService } from './retention.service';
import { CALL_TOOLS } from './tools';
import { SensitiveDataMasker } from './sensitive-data.masker';
import { VerificationPolicy } from './verification.policy';
import { CallVoice } from './voice/call-voice';

/**
 * The call workflow: caller identification, the agent's tools, transfer, the call log, and the outbox handlers
 * of its writes. `imports` must provide the SalesforceClient, SmsSender, PhoneVerifier, DeliveryService and
 * VapiApiClient ports (the global StoreModule provides the database, PhoneNumbersModule the phone normaliser).
 */
@Module({})
export class CallsModule {
  static register(options: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: CallsModule,
      imports: [
        ConfigModule.forFeature(callsConfig),
        ConfigModule.forFeature(appConfig),
        ConfigModule.forFeature(storeConfig),
        ...options.imports,
      ],
      controllers: [CallsController],
      providers: [
        AdminApiKeyGuard,
        CallsRepository,
        CallerIdentityService,
        CallerScope,
        AssistantPlanBuilder,
        CallVoice,
        VerificationPolicy,
        CallerVerificationService,
        SensitiveDataMasker,
        KnowledgeService,
        CallLatencyMetrics,
        { provide: CallerVoice, useExisting: CallVoice },
        CallLogService,
        CallReconcilerService,
        RetentionService,
        CallWorkflowService,
        { provide: VapiCallHandler, useExisting: CallWorkflowService },
        { provide: ToolResultStore, useClass: CallsToolResultStore },
        ...CALL_TOOLS,
        ...CALL_DELIVERY_HANDLERS,
      ],
      exports: [VapiCallHandler, ToolResultStore, CallerVoice, CallReconcilerService, RetentionService],
    };
  }
}
