import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, AppConfig } from '../config/app.config';
import { PhoneNumbers } from './phone-numbers';

/** Provides the one `PhoneNumbers` normaliser, with the configured region, to every module. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(appConfig)],
  providers: [
    {
      provide: PhoneNumbers,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => new PhoneNumbers(config.defaultPhoneRegion),
    },
  ],
  exports: [PhoneNumbers],
})
export class PhoneNumbersModule {}
