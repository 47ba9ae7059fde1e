#!/usr/bin/env node
// What the production image holds, checked without Docker: the production `dist` and production-only
// dependencies in a directory of their own, started as the image starts them (`node dist/main.js`, as a user
// whose working directory has no `data/` yet). It checks that nothing but production code is there, that every
// line written is JSON (including a refused start), that the default SQLite directory is created, that
// /health/live answers, and that SIGTERM ends the process cleanly. Run after `npm ci` and `npm run build`.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const failures = [];
const check = (ok, what) => {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) failures.push(what);
};

function sizeOf(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

function filesUnder(path, prefix = '') {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(path, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Runs `node dist/main.js` in `dir`; resolves with its exit code and every stdout/stderr line. */
function runService(dir, env, whileRunning) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      done({ code, signal, lines: output.split('\n').filter(Boolean) });
    });
    if (whileRunning) void whileRunning(child).catch((error) => check(false, String(error)));
  });
}

const allJson = (lines) =>
  lines.length > 0 &&
  lines.every((line) => {
    try {
      return typeof JSON.parse(line).level === 'number';
    } catch {
      return false;
    }
  });

const image = mkdtempSync(join(tmpdir(), 'voice-crm-image-'));
try {
  // The image's production stage: dist, package files, production dependencies (npm ci --omit=dev gives the
  // same tree as pruning a full install; pruning reuses the native build instead of compiling it again).
  cpSync(join(root, 'dist'), join(image, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(image, 'package.json'));
  cpSync(join(root, 'package-lock.json'), join(image, 'package-lock.json'));
  cpSync(join(root, 'node_modules'), join(image, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: image, stdio: 'ignore' });

  const distFiles = filesUnder(join(image, 'dist'));
  check(
    !distFiles.some((file) => /(^|\/)(testing|fakes|scripts|test)\/|\.spec\.js$/.test(file)),
    'dist holds no test kits, fakes, scripts or specs',
  );
  check(existsSync(join(image, 'dist', 'main.js')), 'dist/main.js is the entry point');
  const devOnly = ['jest', 'typescript', '@swc/core', 'eslint', 'prettier', 'autocannon', 'fast-check'];
  check(
    devOnly.every((name) => !existsSync(join(image, 'node_modules', name))),
    `no dev dependencies in node_modules (${devOnly.join(', ')})`,
  );

  for (const command of ['provision', 'doctor']) {
    let usage = '';
    try {
      usage = execFileSync(process.execPath, [`dist/cli/${command}.js`, '--help'], {
        cwd: image,
        encoding: 'utf8',
      });
    } catch {
      usage = '';
    }
    check(
      usage.includes(`node dist/cli/${command}.js`),
      `node dist/cli/${command}.js runs on production dependencies`,
    );
  }

  const refused = await runService(image, { VAPI_WEBHOOK_SECRET: 'short' });
  check(refused.code === 1, 'an invalid configuration stops the process with exit code 1');
  check(allJson(refused.lines), 'a refused start is logged as JSON lines only');
  check(
    !refused.lines.join('\n').includes('"short"') && refused.lines.join('\n').includes('VAPI_WEBHOOK_SECRET'),
    'the refusal names the variable, not its value',
  );

  const port = await freePort();
  const started = await runService(
    image,
    {
      PORT: String(port),
      VAPI_WEBHOOK_SECRET: 'production-check-webhook-secret',
      VAPI_SERVER_CREDENTIAL_ID: 'production-check-credential',
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'production-check',
      SALESFORCE_CLIENT_SECRET: 'production-check-secret',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    async (child) => {
      let live;
      for (let attempt = 0; attempt < 100 && !live; attempt += 1) {
        live = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
        if (!live) await new Promise((done) => setTimeout(done, 100));
      }
      check(live?.status === 200, 'GET /health/live answers 200');
      check(
        existsSync(join(image, 'data', 'voice-crm.db')),
        'the default SQLite file is created under ./data',
      );
      child.kill('SIGTERM');
    },
  );
  const stoppedCleanly =
    started.code === 0 && started.lines.some((line) => line.includes('Store connections closed'));
  check(
    stoppedCleanly,
    `SIGTERM shuts down cleanly, closing the store last (ended by ${started.signal ?? `exit ${started.code}`})`,
  );
  if (!stoppedCleanly) process.stdout.write(`${started.lines.slice(-5).join('\n')}\n`);
  check(allJson(started.lines), 'every line written while running is JSON');

  const mb = (bytes) => `${(bytes / 1_048_576).toFixed(1)} MB`;
  process.stdout.write(
    `production dist: ${mb(sizeOf(join(image, 'dist')))} in ${distFiles.length} files; ` +
      `production node_modules: ${mb(sizeOf(join(image, 'node_modules')))}\n`,
  );
} finally {
  rmSync(image, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(`production check failed: ${failures.length} problem(s)\n`);
  process.exit(1);
}
