# HU001: fails
FROM debian:12-slim
USER 65532
