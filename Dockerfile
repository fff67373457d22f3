# syntax=docker/dockerfile:1
#
# gws-engine as a container: the release binary and the shipped catalogue on Debian slim,
# running as an unprivileged user. Build and run:
#
#   docker build -t gws-engine .
#   docker run --rm -p 127.0.0.1:8000:8000 --env-file .env \
#     -v gws_creds:/app/store_creds gws-engine
#
# docker-compose.litellm.yml runs it next to the LiteLLM proxy.

# Both stages use the same Debian release, so the binary finds the glibc it was linked with.
ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /src
# The workspace: its manifests, the engine, the Discovery documents the engine's build script
# compiles in, and the tests crate, which Cargo must see as a workspace member (it is not
# built here).
COPY Cargo.toml Cargo.lock ./
COPY engine ./engine
COPY schemas ./schemas
COPY tests ./tests
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p gws-engine \
    && install -D -m 0755 target/release/gws-engine /out/gws-engine

FROM debian:${DEBIAN_RELEASE}-slim
# ca-certificates: the engine verifies Google's TLS certificates against the system store.
# curl: the health check below, and a way to probe other services from inside the network.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user that owns the credential directory; a named volume mounted there
# takes this ownership when it is first created.
RUN groupadd --system --gid 10001 gws \
    && useradd --system --uid 10001 --gid gws --home-dir /app --no-create-home gws \
    && mkdir -p /app/store_creds \
    && chown gws:gws /app/store_creds \
    && chmod 0700 /app/store_creds

COPY --from=build /out/gws-engine /usr/local/bin/gws-engine
# The shipped catalogue; mount a directory over /app/catalogue to replace it, or add tools
# with GWS_CATALOGUE=/path/to/more.
COPY catalogue /app/catalogue

# The same variables as the Python workspace-mcp image where it has one. Listening on all
# interfaces is right inside a container; publish the port on 127.0.0.1 only (as the compose
# file does) unless something in front of it authenticates callers. GWS_ALLOWED_HOSTS names
# the compose service, so LiteLLM can reach the server as http://gws_mcp:8000/mcp.
ENV WORKSPACE_MCP_HOST=0.0.0.0 \
    WORKSPACE_MCP_PORT=8000 \
    GWS_ALLOWED_HOSTS=gws_mcp \
    GWS_CATALOGUE_DIR=/app/catalogue \
    WORKSPACE_MCP_CREDENTIALS_DIR=/app/store_creds

WORKDIR /app
# By number, so a runtime that checks for a non-root user (runAsNonRoot) can tell.
USER 10001:10001
EXPOSE 8000

# The port comes from the environment, so the check follows a changed WORKSPACE_MCP_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["sh", "-c", \
         "curl -fsS -o /dev/null http://127.0.0.1:${WORKSPACE_MCP_PORT}/health || exit 1"]

# The engine stops cleanly on SIGTERM (docker stop) by itself; no init process is needed.
ENTRYPOINT ["gws-engine"]
CMD ["serve"]
