import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { appConfig } from '../config/app.config';
import { AssistantResponseBuilder } from './assistant-response.builder';
import { SpokenFallbackInterceptor } from './spoken-fallback.interceptor';
import { vapiConfig } from './vapi.config';
import { VapiSignatureGuard } from './vapi-signature.guard';
import { VapiToolRegistry } from './vapi-tool.registry';
import { VapiWebhookController } from './vapi-webhook.controller';
import { VapiWebhookService } from './vapi-webhook.service';
import { WebhookMetrics } from './webhook-metrics';

/**
 * The VAPI front door. The module that implements the call workflow is passed in: it must export the
 * `VapiCallHandler`, `CallerVoice` and `ToolResultStore` ports and may declare `@VapiTool` providers, which the
 * registry discovers.
 */
@Module({})
export class VapiModule {
  static register(workflow: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: VapiModule,
      imports: [
        ConfigModule.forFeature(vapiConfig),
        ConfigModule.forFeature(appConfig),
        DiscoveryModule,
        ...workflow.imports,
      ],
      controllers: [VapiWebhookController],
      providers: [
        VapiSignatureGuard,
        VapiToolRegistry,
        VapiWebhookService,
        AssistantResponseBuilder,
        SpokenFallbackInterceptor,
        WebhookMetrics,
      ],
      exports: [WebhookMetrics],
    };
  }
}
