# syntax=docker/dockerfile:1
# One image for both Koppelwerk processes (docker-compose.yml picks the command):
#   worker: node dist/src/worker.js   (the default CMD)
#   api:    node dist/src/server.js
# Node 20 on Debian bookworm (glibc): @temporalio/core-bridge ships glibc builds for x64/arm64.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- all dependencies, for compiling ------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci first. Fallback: `npm install --no-save` installs from the same lock without writing it.
# It is needed while package-lock.json lacks the optional platform builds of @swc/core that the
# registry it was made against does not serve; npm ci rejects such a lock as "not in sync".
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund

# --- compile TypeScript to dist/ and collect the non-TypeScript files read at run time ----------
FROM deps AS build
COPY . .
RUN npm run build
RUN test -f dist/src/worker.js && test -f dist/src/server.js \
 || { echo "npm run build did not produce dist/src/worker.js and dist/src/server.js" >&2; exit 1; }
# WSDL files and other assets stay under src/: the connectors resolve them from the folder that
# holds package.json, because tsc does not copy them to dist/.
RUN mkdir -p /assets && for d in src workflows activities; do \
      if [ -d "$d" ]; then find "$d" -type f ! -name '*.ts' -exec cp --parents {} /assets/ \; ; fi; \
    done

# --- production dependencies only ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --no-save --omit=dev --no-audit --no-fund) \
 && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /assets/ ./
USER node
EXPOSE 3000
# Workers and the API shut down cleanly on SIGTERM; give them time (compose: stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/worker.js"]
