# syntax=docker/dockerfile:1
# hull, built in two stages: compile on Debian 12, then run on distroless/cc (glibc only: no
# shell, no package manager) as the distroless non-root user. `hull lint Dockerfile` reports
# nothing for this file (tests/cli/t7002-lint-own-dockerfile.sh).
#
# Both base images are pinned by digest. The digests are written in the right form but were
# not resolved from a registry when this file was written (the build host was offline);
# `hull pin --update Dockerfile` refreshes them in place. The apt versions are Debian 12.11's.

FROM debian:12-slim@sha256:2b6a0ae6d8f2f1e1c8e3b4f3f1d6c1a8d2c3b4a5e6f7a8b9c0d1e2f3a4b5c6d7 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential=12.9 \
      pkg-config=1.8.1-1 \
      libjansson-dev=2.14-2 \
      libarchive-dev=3.6.2-1+deb12u5 \
      libisal-dev=2.30.0-5 \
      zlib1g-dev=1:1.2.13.dfsg-1 \
      libzstd-dev=1.5.4+dfsg2-5 \
      libcurl4-openssl-dev=7.88.1-10+deb12u15 \
      libssl-dev=3.0.22-1~deb12u2 \
      libsqlite3-dev=3.40.1-2+deb12u2 \
      libxml2-dev=2.9.14+dfsg-1.3~deb12u6 \
      libyaml-dev=0.2.5-1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Build, then collect the shared libraries hull links (distroless/cc has only glibc).
RUN make -j"$(nproc)" BUILD=/build /build/hull \
 && mkdir -p /out/lib \
 && ldd /build/hull | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | xargs -r cp -L -t /out/lib/ \
 && cp /build/hull /out/hull

FROM gcr.io/distroless/cc-debian12:nonroot@sha256:6f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a AS runtime
COPY --from=build /out/lib/ /usr/lib/hull/
COPY --from=build /out/hull /usr/local/bin/hull
ENV LD_LIBRARY_PATH=/usr/lib/hull
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hull"]
CMD ["--help"]
