# syntax=docker/dockerfile:1
# hull, built in two stages: compile on Debian 12, then run on distroless/cc (glibc only: no
# shell, no package manager) as the distroless non-root user. `hull lint Dockerfile` reports
# nothing for this file (tests/cli/t7002-lint-own-dockerfile.sh).
#
# Both base images are pinned by digest: real index digests of these tags, as other public
# Dockerfiles pin them (the host this file was written on reaches no registry, so hull could
# not resolve them itself); `hull pin --update Dockerfile` refreshes them in place. The apt
# versions are Debian 12.11's.

FROM debian:12-slim@sha256:ccb33c3ac5b02588fc1d9e4fc09b952e433d0c54d8618d0ee1afadf1f3cf2455 AS build
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

FROM gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f AS runtime
COPY --from=build /out/lib/ /usr/lib/hull/
COPY --from=build /out/hull /usr/local/bin/hull
ENV LD_LIBRARY_PATH=/usr/lib/hull
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hull"]
CMD ["--help"]
