import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { ENVIRONMENT_SCHEMAS } from './env.validation';

const FILE = resolve(__dirname, '..', '..', '.env.example');
const text = readFileSync(FILE, 'utf8');
/** `NAME=value` lines, value as written (quotes included). */
const assignments = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => ({
  name,
  value,
}));

describe('.env.example', () => {
  it('should be a valid shell file: `set -a; . ./.env.example` exports every value as written, unquoted', () => {
    const script =
      'set -e; set -a; . "$1"; set +a; node -e "process.stdout.write(JSON.stringify(process.env))"';
    const sourced = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', FILE], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });

    expect(sourced.stderr).toBe('');
    expect(sourced.status).toBe(0);
    const exported = JSON.parse(sourced.stdout) as Record<string, string>;
    for (const { name, value } of assignments) {
      const unquoted = /^"(.*)"$/.exec(value)?.[1] ?? value;
      expect([name, exported[name]]).toEqual([name, unquoted]);
    }
    expect(exported.COMPANY_NAME).toBe('our support team');
  });

  it('should quote every value that holds a space or a shell character', () => {
    const unsafe = assignments.filter(
      ({ value }) => !/^"[^"$`\\\\]*"$/.test(value) && /[\s"'$`\\\\;&|<>(){}*?#!]/.test(value),
    );
    expect(unsafe).toEqual([]);
  });

  it('should document every variable the service reads, and set no other', () => {
    const storage = getMetadataStorage();
    const known = new Set(
      ENVIRONMENT_SCHEMAS.flatMap((schema) =>
        storage
          .getTargetValidationMetadatas(schema, '', true, false)
          .map((metadata) => metadata.propertyName),
      ),
    );

    expect([...known].filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
    expect(assignments.map(({ name }) => name).filter((name) => !known.has(name))).toEqual([]);
  });
});
