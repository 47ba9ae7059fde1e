import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { vapiConfig, type VapiConfig } from '../vapi.config';
import { VapiApiClient } from './vapi-api.client';
import { UnconfiguredVapiApiClient, VapiHttpApiClient } from './vapi-http-api.client';

export function createVapiApiClient(config: VapiConfig): VapiApiClient {
  return config.apiKey
    ? new VapiHttpApiClient({ apiKey: config.apiKey, apiUrl: config.apiUrl })
    : new UnconfiguredVapiApiClient();
}

/** VAPI's REST API behind the `VapiApiClient` port (HTTP adapter when VAPI_API_KEY is set). */
@Module({
  imports: [ConfigModule.forFeature(vapiConfig)],
  providers: [{ provide: VapiApiClient, inject: [vapiConfig.KEY], useFactory: createVapiApiClient }],
  exports: [VapiApiClient],
})
export class VapiApiModule {}
