/**
 * The rules of VAPI's create and update DTOs that the fake enforces, read from the vendored OpenAPI document
 * (test/fixtures/vapi-openapi.json: `CreateWebhookCredentialDTO` / `HMACAuthenticationPlan`,
 * `CreateTwilioPhoneNumberDTO`, `CreateFunctionToolDTO` / `OpenAIFunction`, `CreateAssistantDTO`, `Server`,
 * `BackoffPlan`, `TransferDestinationNumber` and their `Update*` counterparts). Messages are worded the way
 * VAPI's NestJS validation words them. Tests check full bodies against the schemas themselves
 * (test/support/vapi-openapi.ts); this is what a wrong body meets at the door.
 */

type Body = Record<string, unknown>;

const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

class Problems {
  readonly list: string[] = [];

  text(body: Body, path: string, key: string, required: boolean, maxLength?: number): void {
    const value = body[key];
    if (value === undefined && !required) return;
    if (!isText(value)) this.list.push(`${path}${key} must be a string`);
    else if (maxLength !== undefined && value.length > maxLength) {
      this.list.push(`${path}${key} must be shorter than or equal to ${maxLength} characters`);
    }
  }

  oneOf(body: Body, path: string, key: string, values: string[], required: boolean): void {
    const value = body[key];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || !values.includes(value)) {
      this.list.push(`${path}${key} must be one of the following values: ${values.join(', ')}`);
    }
  }

  range(body: Body, path: string, key: string, min: number, max: number, required: boolean): void {
    const value = body[key];
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || value < min || value > max) {
      this.list.push(`${path}${key} must be a number from ${min} to ${max}`);
    }
  }

  object(body: Body, path: string, key: string, check: (value: Body, path: string) => void): void {
    const value = body[key];
    if (value === undefined) return;
    if (!isObject(value)) this.list.push(`${path}${key} must be an object`);
    else check(value, `${path}${key}.`);
  }
}

function server(problems: Problems, body: Body, path: string): void {
  problems.text(body, path, 'url', false);
  problems.text(body, path, 'credentialId', false);
  problems.range(body, path, 'timeoutSeconds', 1, 300, false);
  problems.object(body, path, 'backoffPlan', (plan, planPath) => {
    problems.oneOf(plan, planPath, 'type', ['fixed', 'exponential'], true);
    problems.range(plan, planPath, 'maxRetries', 0, 10, true);
    problems.range(plan, planPath, 'baseDelaySeconds', 0, 10, true);
  });
}

function credential(problems: Problems, body: Body, creating: boolean): void {
  problems.oneOf(body, '', 'provider', ['webhook'], creating);
  problems.text(body, '', 'name', false, 40);
  if (creating && body.authenticationPlan === undefined)
    problems.list.push('authenticationPlan must be an object');
  problems.object(body, '', 'authenticationPlan', (plan, path) => {
    problems.oneOf(plan, path, 'type', ['oauth2', 'hmac', 'bearer'], true);
    if (plan.type === 'hmac') {
      problems.text(plan, path, 'secretKey', true);
      problems.oneOf(plan, path, 'algorithm', ['sha256', 'sha512', 'sha1'], true);
      problems.oneOf(plan, path, 'signatureEncoding', ['hex', 'base64'], false);
    }
    if (plan.type === 'bearer') problems.text(plan, path, 'token', true);
  });
}

function phoneNumber(problems: Problems, body: Body, creating: boolean): void {
  // The provider picks the DTO of the union, on PATCH too: without it VAPI cannot tell which one applies.
  problems.oneOf(body, '', 'provider', ['twilio'], true);
  problems.text(body, '', 'number', creating);
  problems.text(body, '', 'twilioAccountSid', creating);
  problems.text(body, '', 'name', false, 40);
  if (
    creating &&
    !isText(body.twilioAuthToken) &&
    !(isText(body.twilioApiKey) && isText(body.twilioApiSecret))
  ) {
    problems.list.push('twilioAuthToken or twilioApiKey and twilioApiSecret are required');
  }
  problems.object(body, '', 'server', (value, path) => server(problems, value, path));
  problems.object(body, '', 'fallbackDestination', (destination, path) => {
    problems.oneOf(destination, path, 'type', ['number', 'sip'], true);
    if (destination.type === 'number') problems.text(destination, path, 'number', true, 40);
    if (destination.type === 'sip') problems.text(destination, path, 'sipUri', true);
  });
}

function tool(problems: Problems, body: Body, creating: boolean): void {
  problems.text(body, '', 'type', creating);
  const fn = body.function;
  if (body.type === 'function' && creating && !isObject(fn))
    problems.list.push('function.name must be a string');
  problems.object(body, '', 'function', (value, path) => {
    problems.text(value, path, 'name', true);
    if (isText(value.name) && !/^[a-zA-Z0-9_-]{1,64}$/.test(value.name)) {
      problems.list.push(`${path}name must match /^[a-zA-Z0-9_-]{1,64}$/`);
    }
  });
  problems.object(body, '', 'server', (value, path) => server(problems, value, path));
}

function assistant(problems: Problems, body: Body): void {
  problems.text(body, '', 'name', false, 40);
  problems.object(body, '', 'model', (model, path) => {
    problems.text(model, path, 'provider', true);
    problems.text(model, path, 'model', true);
  });
  problems.object(body, '', 'server', (value, path) => server(problems, value, path));
}

function check(collection: string, body: Body, creating: boolean): string[] {
  const problems = new Problems();
  if (collection === 'credential') credential(problems, body, creating);
  if (collection === 'phone-number') phoneNumber(problems, body, creating);
  if (collection === 'tool') tool(problems, body, creating);
  if (collection === 'assistant') assistant(problems, body);
  return problems.list;
}

/** What VAPI would refuse in a `POST /{collection}` body (empty when it would accept it). */
export function createProblems(collection: string, body: Body): string[] {
  return check(collection, body, true);
}

/** What VAPI would refuse in a `PATCH /{collection}/{id}` body. */
export function updateProblems(collection: string, body: Body): string[] {
  return check(collection, body, false);
}
