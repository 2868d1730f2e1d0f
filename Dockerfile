# One image for the three Silta apps; SERVICE picks the app (roster, consent or disclosure):
#   docker build --build-arg SERVICE=roster -t silta-roster .
# or build once and choose at run time: docker run -e SERVICE=consent ...
# The apps run as TypeScript through SWC's require hook, which is a dev dependency, so the
# runtime keeps the full node_modules of the build stage (no `npm ci --omit=dev`).

FROM node:20-slim AS deps
WORKDIR /app
# Toolchain only in case better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    SWC_NODE_PROJECT=/app/tsconfig.json
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json tsconfig.base.json ./
COPY libs ./libs
COPY apps ./apps
COPY deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# SQLite files land in DATA_DIR when no DATABASE_URL is given; the app user must own it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

# Last, so the three apps' images share every layer above.
ARG SERVICE=roster
ENV SERVICE=${SERVICE}
EXPOSE 3001 3002 3003
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
# `exec` replaces the shell with node, so `docker stop`'s SIGTERM reaches the app and it shuts down cleanly.
CMD ["sh", "-c", "exec node -r @swc-node/register apps/$SERVICE/src/main.ts"]
