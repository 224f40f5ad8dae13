# syntax=docker/dockerfile:1
#
# Lyceum container image.
#
#   docker build -t lyceum .
#   docker run -p 8080:8080 -v lyceum-data:/data -e LYCEUM_PUBLIC_URL=http://localhost:8080 lyceum
#
# The image runs `lyceum serve` as an unprivileged user. Every setting can be given as a
# LYCEUM_* environment variable (see docs/configuration.md); a configuration file can be
# mounted and passed with `--config`, e.g. `lyceum serve --config /etc/lyceum/lyceum.toml`.

# --- build -----------------------------------------------------------------------------
# The slim Rust image already carries gcc and libc6-dev, which is all the native code in
# the dependency graph (bundled SQLite, ring) needs; there is no OpenSSL.
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src
COPY . .
# Cache mounts keep the crate downloads and the build directory between image builds;
# the binary is copied out of the cached target directory in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p lyceum \
    && install -D -m 0755 target/release/lyceum /out/lyceum

# --- run -------------------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 lyceum \
    && useradd --system --uid 10001 --gid lyceum --home-dir /data --no-create-home --shell /usr/sbin/nologin lyceum \
    && mkdir -p /data /etc/lyceum \
    && chown lyceum:lyceum /data
COPY --from=builder /out/lyceum /usr/local/bin/lyceum

ENV LYCEUM_BIND=0.0.0.0:8080 \
    LYCEUM_DATA_DIR=/data \
    LYCEUM_LOG_FORMAT=json
# SQLite database (when LYCEUM_DATABASE_URL is not set), uploaded files and, with the
# default file mail transport, the outgoing e-mail.
VOLUME ["/data"]
# The working directory is where `lyceum.toml` is looked for when --config is not given.
WORKDIR /etc/lyceum
USER lyceum:lyceum
EXPOSE 8080
# lyceum handles SIGTERM itself: it stops accepting connections and finishes in-flight
# requests before exiting.
STOPSIGNAL SIGTERM
ENTRYPOINT ["lyceum"]
CMD ["serve"]
