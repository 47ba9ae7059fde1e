import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig, type AppConfig } from '../config/app.config';
import { PhoneVerifier } from './phone-verifier';
import { SmsSender } from './sms-sender';
import { DisabledPhoneVerifier, TwilioPhoneVerifier } from './twilio-phone.verifier';
import { DisabledSmsSender, TwilioSmsSender } from './twilio-sms.sender';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { twilioConfig, type TwilioConfig } from './twilio.config';
import { TwilioController } from './twilio.controller';
import { TwilioMetrics } from './twilio.metrics';

/** Picks the SMS adapter from configuration: Twilio when configured and confirmations are on, else disabled. */
export function createSmsSender(twilio: TwilioConfig, app: AppConfig, metrics: TwilioMetrics): SmsSender {
  if (!twilio.configured || !twilio.smsConfirmations || !twilio.accountSid || !twilio.authToken) {
    return new DisabledSmsSender();
  }
  if (!twilio.fromNumber && !twilio.messagingServiceSid) {
    new Logger('TwilioModule').warn(
      'SMS confirmations disabled: set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to enable them',
    );
    return new DisabledSmsSender();
  }
  const callbacks =
    twilio.statusCallbacks === 'true' ||
    (twilio.statusCallbacks === 'auto' && app.publicUrl.startsWith('https://'));
  return new TwilioSmsSender(
    {
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      fromNumber: twilio.fromNumber,
      messagingServiceSid: twilio.messagingServiceSid,
      apiUrl: twilio.apiUrl,
      messagingApiUrl: twilio.messagingApiUrl,
      statusCallbackUrl: callbacks ? `${app.publicUrl}/twilio/status` : undefined,
      timeoutMs: twilio.timeoutMs,
    },
    metrics,
  );
}

/** Twilio Verify when a Verify service is configured (it needs the account too), else disabled. */
export function createPhoneVerifier(twilio: TwilioConfig): PhoneVerifier {
  if (!twilio.verifyServiceSid || !twilio.accountSid || !twilio.authToken) return new DisabledPhoneVerifier();
  return new TwilioPhoneVerifier({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    serviceSid: twilio.verifyServiceSid,
    apiUrl: twilio.verifyApiUrl,
    timeoutMs: twilio.timeoutMs,
  });
}

/**
 * Outbound SMS and one-time codes (exports the `SmsSender` and `PhoneVerifier` ports) and the signed Twilio
 * status callback route.
 * Needs the global `MetricsModule` for the registry.
 */
@Module({
  imports: [ConfigModule.forFeature(twilioConfig), ConfigModule.forFeature(appConfig)],
  controllers: [TwilioController],
  providers: [
    TwilioMetrics,
    TwilioSignatureGuard,
    {
      provide: SmsSender,
      inject: [twilioConfig.KEY, appConfig.KEY, TwilioMetrics],
      useFactory: createSmsSender,
    },
    { provide: PhoneVerifier, inject: [twilioConfig.KEY], useFactory: createPhoneVerifier },
  ],
  exports: [SmsSender, PhoneVerifier],
})
export class TwilioModule {}
