import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { vapiConfig, type VapiConfig } from '../vapi.config';
import { VapiApiClient } from './vapi-api.client';
import { UnconfiguredVapiApiClient, VapiHttpApiClient } from './vapi-http-api.client';
import { VapiHttpLiveCallControl, VapiLiveCallControl } from './vapi-live-call-control';

export function createVapiApiClient(config: VapiConfig): VapiApiClient {
  return config.apiKey
    ? new VapiHttpApiClient({ apiKey: config.apiKey, apiUrl: config.apiUrl })
    : new UnconfiguredVapiApiClient();
}

/**
 * VAPI's REST API behind the `VapiApiClient` port (HTTP adapter when VAPI_API_KEY is set), and Live Call
 * Control behind `VapiLiveCallControl`.
 */
@Module({
  imports: [ConfigModule.forFeature(vapiConfig)],
  providers: [
    { provide: VapiApiClient, inject: [vapiConfig.KEY], useFactory: createVapiApiClient },
    {
      provide: VapiLiveCallControl,
      inject: [vapiConfig.KEY],
      useFactory: (config: VapiConfig) => new VapiHttpLiveCallControl(config.control),
    },
  ],
  exports: [VapiApiClient, VapiLiveCallControl],
})
export class VapiApiModule {}
