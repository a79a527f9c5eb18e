# syntax=docker/dockerfile:1
# Token Ledger: one image for the API (default command) and the worker (`node dist/apps/worker/src/main.js`).
# Build: docker build -t token-ledger .

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile TypeScript with every dependency (dev ones included) ----
FROM ${NODE_IMAGE} AS build
# No install-time analytics (@scarf/scarf, via swagger-ui-dist, reports installs to scarf.sh).
ENV SCARF_ANALYTICS=false
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY bench ./bench
RUN npm run build

# ---- runtime: production dependencies and the compiled code only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SCARF_ANALYTICS=false \
    PORT=3000 \
    HOST=0.0.0.0 \
    LEDGER_DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
# The compilers are needed only while better-sqlite3 builds: installed and removed in one layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.cache /tmp/*
COPY --from=build /app/dist ./dist
COPY scripts ./scripts
# Local state: the embedded SQLite store, or (with EVENTSTORE_URL) only this replica's read model.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness of the API process; the compose file checks readiness (store and projection) instead.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The V8 flags are `npm start`'s (docs/deployment.md, "Memory"): a smaller young generation and a slower-growing
# old one keep a replica with 100,000 tokens near 150 MB.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "--expose-gc", "dist/apps/api/src/main.js"]
