# One image for the Silta apps; SERVICE picks the app (roster, consent, disclosure, receipts, or web,
# the people's front end):
#   docker build --build-arg SERVICE=roster -t silta-roster .
# or build once and choose at run time: docker run -e SERVICE=consent ...
# The same image runs the broker's one-shot ACL and topic set-up (compose's kafka-setup service):
#   node dist/libs/messaging/src/security/setup-main.js
# Secrets come as files: KAFKA_PASSWORD_FILE (read by the apps), and DATABASE_URL_FILE,
# INTERNAL_TOKEN_SECRET_FILE, AUDIT_SIGNING_KEY_FILE, PEER_AUDIT_KEY_FILE, WEB_SESSION_KEY_FILE (read
# into the variable by deploy/docker/entrypoint.sh before the app starts).
# The image runs the compiled build (`npm run build`: tsc, then tsc-alias rewriting the @silta/*
# imports to relative paths) on production dependencies only: no TypeScript compiler in the
# process, which keeps each app's resident memory near the bare Nest floor (see BENCHMARKS.md).

FROM node:20-slim AS toolchain
WORKDIR /app
# Toolchain only in case better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

# Compiles apps/ and libs/ to dist/ with the full (dev) dependencies; `npm run build` also bundles
# the web app's browser code (apps/web/build.ts, esbuild) into dist/web/public, so the bundle is made
# here, at image build time, and the running web server only reads it (a read-only root works).
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && test -f dist/web/public/index.html -a -f dist/web/public/app.js

# What the apps need at run time, and nothing else.
FROM toolchain AS runtime-deps
RUN npm ci --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM node:20-slim
WORKDIR /app
# WEB_HOST and WEB_PUBLIC_DIR are the web app's names for HOST and its bundle (apps/web/src/server/config.ts).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    WEB_HOST=0.0.0.0 \
    WEB_PUBLIC_DIR=/app/dist/web/public
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY deploy/docker/healthcheck.js deploy/docker/entrypoint.sh ./deploy/docker/
# SQLite files land in DATA_DIR when no DATABASE_URL is given; the app user must own it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

# Last, so the apps' images share every layer above.
ARG SERVICE=roster
ENV SERVICE=${SERVICE}
EXPOSE 3000 3001 3002 3003 3004
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/docker/healthcheck.js"]
# `exec` replaces the shell with node, so `docker stop`'s SIGTERM reaches the app and it shuts down cleanly.
# A 4 MB young-generation semi-space and a 128 MB old space: V8 would otherwise grow the heap lazily
# under load (disclosure's peak RSS ~256 MB -> ~145 MB at the same throughput; bench:memory, BENCHMARKS.md).
ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]
CMD ["sh", "-c", "exec node --max-semi-space-size=4 --max-old-space-size=128 dist/apps/$SERVICE/src/main.js"]
