# syntax=docker/dockerfile:1
# Multi-stage build: compile (with the native toolchain for better-sqlite3), then a slim runtime image that
# runs as an unprivileged user.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production NETRAL_DATA_DIR=/data PORT=3000
WORKDIR /app
RUN groupadd --system netral && useradd --system --gid netral --home-dir /app netral \
  && mkdir -p /data && chown netral:netral /data
COPY --from=build --chown=netral:netral /app/package.json ./
COPY --from=build --chown=netral:netral /app/node_modules ./node_modules
COPY --from=build --chown=netral:netral /app/dist ./dist
# Views, static assets, fonts and catalogues are served from their sources.
COPY --from=build --chown=netral:netral /app/apps ./apps
COPY --from=build --chown=netral:netral /app/libs ./libs
# The sample CSV files the registry page offers for download.
COPY --from=build --chown=netral:netral /app/samples ./samples
USER netral
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/apps/ledger/src/main.js"]
