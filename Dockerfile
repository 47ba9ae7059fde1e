# syntax=docker/dockerfile:1
# Production image on Node 24 LTS. Build: docker build -t voice-crm:0.1.0 .
# The production stage holds only what runs: dist/ (compiled from src/, without test kits), production
# dependencies, package.json and a writable data directory. Tests, fakes, scripts and dev tools stay behind.

ARG NODE_IMAGE=node:24-bookworm-slim

# better-sqlite3 compiles when no prebuilt binary matches; both dependency stages need the toolchain.
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
# The default store is SQLite at ./data/voice-crm.db: the runtime user must own that directory. (Kubernetes
# mounts a volume there, or uses PostgreSQL through DATABASE_URL.)
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only: the process answers. Readiness (/health/ready) is for the orchestrator to gate traffic on.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (no shell), so readiness turns 503 and in-flight requests drain.
# A 64 MB young generation (V8's default is 16 MB): a burst of calls allocates fast, and with the default the
# collector ran for 15–20 % of the event loop; `npm run bench` starts the service with the same flags
# (scripts/bench/options.ts, SERVICE_NODE_FLAGS). It costs up to about 100 MB more RSS.
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
