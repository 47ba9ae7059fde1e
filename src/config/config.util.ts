import { applyDecorators } from '@nestjs/common';
import { ClassConstructor, plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsString,
  Max,
  Min,
  MinLength,
  ValidationError,
  validateSync,
} from 'class-validator';

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

/**
 * The last validated instance of each schema, with the environment it was read from: start-up validates every
 * schema once (`validateEnvironment`), and each module's `registerAs` factory then reads its instance from
 * here instead of validating again. A changed environment (tests start apps with their own) is read afresh.
 */
const validated = new Map<ClassConstructor<object>, { source: string; instance: object }>();

/** Validates and returns the typed, defaulted env-schema instance, or throws {@link ConfigValidationError}. */
export function loadEnvironment<T extends object>(schema: ClassConstructor<T>, env: Environment): T {
  const present = withoutEmpty(env);
  const source = JSON.stringify(present);
  const known = validated.get(schema);
  if (known?.source === source) return known.instance as T;
  const instance = plainToInstance(schema, present, { exposeDefaultValues: true });
  const problems = describe(validateSync(instance, { forbidUnknownValues: false }));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  validated.set(schema, { source, instance });
  return instance;
}

/** An integer variable, optionally bounded. */
export function EnvInt(bounds: { min?: number; max?: number } = {}): PropertyDecorator {
  return applyDecorators(
    Type(() => Number),
    IsInt(),
    ...(bounds.min === undefined ? [] : [Min(bounds.min)]),
    ...(bounds.max === undefined ? [] : [Max(bounds.max)]),
  );
}

/** A `true`/`false` variable, read as a boolean. */
export function EnvFlag(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );
}

/**
 * A secret (key, token, password). Like every variable, its value never appears in an error; the minimum
 * length catches a placeholder left in place.
 */
export function EnvSecret(minLength = 1): PropertyDecorator {
  return applyDecorators(IsString(), MinLength(minLength));
}

/** Splits a comma-separated variable into trimmed, non-empty items. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
