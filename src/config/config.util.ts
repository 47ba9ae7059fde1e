import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/**
 * Raised when environment variables do not satisfy a module's schema. It names each variable and the rule it
 * breaks, never the value: values are often secrets.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Environment = Record<string, string | undefined>;

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.entries(error.constraints ?? {}).map(
      ([rule, message]) => `${error.property}: ${message} (${rule})`,
    ),
  );
}

/** `NAME=` (as in a copied .env.example) means unset, so defaults and optional rules apply. */
function withoutEmpty(env: Environment): Environment {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
}

/** Validates `env` against an env-schema class and returns the problems (empty when valid). */
export function checkEnvironment<T extends object>(schema: ClassConstructor<T>, env: Environment): string[] {
  const instance = plainToInstance(schema, withoutEmpty(env), { exposeDefaultValues: true });
  return describe(validateSync(instance, { skipMissingProperties: false, forbidUnknownValues: false }));
}

/** Validates and returns the typed, defaulted env-schema instance, or throws {@link ConfigValidationError}. */
export function loadEnvironment<T extends object>(schema: ClassConstructor<T>, env: Environment): T {
  const instance = plainToInstance(schema, withoutEmpty(env), { exposeDefaultValues: true });
  const problems = describe(validateSync(instance, { forbidUnknownValues: false }));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return instance;
}

/** Splits a comma-separated variable into trimmed, non-empty items. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
