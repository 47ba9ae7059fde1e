// Test tiers (README, "Tests"):
// - unit: next to the code (`*.spec.ts`) and the vendor fakes' own specs; needs nothing running.
// - integration: `*.int-spec.ts`; needs the PostgreSQL of the machine (TEST_DATABASE_URL).
// - e2e: `test/**/*.e2e-spec.ts`; boots the whole app over HTTP against the local fakes (and PostgreSQL).
// - contract: against a real Salesforce org, only with `npm run test:contract` (SALESFORCE_CONTRACT_TEST=1).
// A few dependencies of @fastify/static ship ESM only; Node 20 can require() them but Jest cannot, so they are
// transformed like our own TypeScript.
const ESM_ONLY = ['content-disposition'];
const common = {
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const projects = [
  {
    ...common,
    displayName: 'unit',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/fakes/**/*.spec.ts'],
  },
  {
    ...common,
    displayName: 'integration',
    testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  },
  { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
];
// - faults: `npm run test:faults` (FAULT_SUITE=1): kill -9, lost database connections, a read-only or full store,
//   Salesforce outages, hangs, lost responses, limits and revoked tokens, each with a table of figures.
if (process.env.FAULT_SUITE === '1') {
  projects.push({
    ...common,
    displayName: 'faults',
    testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  });
}
if (process.env.SALESFORCE_CONTRACT_TEST === '1') {
  projects.push({ ...common, displayName: 'contract', testMatch: ['<rootDir>/src/**/*.contract-spec.ts'] });
}

module.exports = { projects };
