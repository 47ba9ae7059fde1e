import type BetterSqlite3 from 'better-sqlite3';

/**
 * better-sqlite3 12 aborts the process on Node 24 when V8 collects a statement (it registers Node's
 * ObjectWrap cleanup hooks, which Node 24 checks: WiseLibs/better-sqlite3#1515); 13, rebuilt on Node-API,
 * does not — but 13 segfaults on Node 20. Production runs Node 22 or 24 (`engines`) on 13. Node 20, end of
 * life but still the build machines' system Node, runs the test suite on 12, installed only as a dev
 * dependency under the name `better-sqlite3-node20`.
 */
export function loadSqliteDriver(): typeof BetterSqlite3 {
  const major = Number(process.versions.node.split('.')[0]);
  /* eslint-disable @typescript-eslint/no-require-imports -- the driver is chosen at run time by Node version */
  if (major >= 22) return require('better-sqlite3') as typeof BetterSqlite3;
  try {
    return require('better-sqlite3-node20') as typeof BetterSqlite3;
  } catch (error) {
    throw new Error(
      `Node ${process.versions.node} is not supported in production (Node 22 or 24 is): ` +
        'its SQLite driver is a development dependency only',
      { cause: error },
    );
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}
