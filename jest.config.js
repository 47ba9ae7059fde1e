// Unit specs live next to the code; end-to-end specs in test/ boot the whole app over HTTP.
// A few dependencies of @fastify/static ship ESM only; Node 20 can require() them but Jest cannot, so they are
// transformed like our own TypeScript.
const ESM_ONLY = ['content-disposition'];
const common = {
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/fakes/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
