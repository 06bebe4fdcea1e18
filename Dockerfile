# Lantern: multi-stage build. Stage 1 compiles TypeScript and the SQLite driver; stage 2 carries
# only production dependencies, the compiled code (dist/) and the content, and runs as a non-root
# user. It has no src/, so bin/lantern.js runs `node dist/cli/main.js` (never tsx).
# Content staff can change flows/ and locales/ without rebuilding: mount them over /app/flows and
# /app/locales (read-only is fine) and send SIGHUP, or restart.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module here (no prebuilt download is needed).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Dependencies first, so that editing src/ does not reinstall them. `npm ci` runs the `prepare`
# script (bin/prepare.js), which finds no src/ yet and leaves the build to the step below.
COPY package.json package-lock.json ./
COPY bin ./bin
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3978 \
    SQLITE_PATH=/data/lantern.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY flows ./flows
COPY locales ./locales
# /data: the SQLite file, the hash secret and the cache of checked content (so a restart with
# unchanged flows/ and locales/ skips the checks); the volume keeps them across containers.
RUN mkdir -p /data && chown node:node /data
USER node
# The publish gate once at build time: content with errors fails the build, and the checked content
# lands in /data/cache, which a new volume starts with, so the first start is as fast as a restart.
RUN node bin/lantern.js lint
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The README's start command. Run the container with --init (compose: init: true) so that
# SIGTERM reaches Lantern, which then finishes the turns in flight and exits 0.
CMD ["npm", "start"]
