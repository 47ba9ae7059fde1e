import { randomBytes } from 'node:crypto';
import { buildVapiCall, startVapiApiFake } from './vapi-api-fake';

/** Standalone VAPI REST API fake for local development: `node dist/fakes/vapi-api/main.js`. */
async function main(): Promise<void> {
  const apiKey = process.env.VAPI_API_KEY ?? randomBytes(16).toString('hex');
  const fake = await startVapiApiFake({ port: Number(process.env.FAKE_VAPI_API_PORT ?? 4030), apiKey });
  const sample = fake.putCall(buildVapiCall());
  // Local fake credentials only: printing them is the point, so the service can be pointed at the fake.
  process.stdout.write(
    [
      `VAPI API fake listening on ${fake.url}`,
      `VAPI_API_URL=${fake.url}`,
      `VAPI_API_KEY=${apiKey}`,
      `Sample call: GET ${fake.url}/call/${sample.id}`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
