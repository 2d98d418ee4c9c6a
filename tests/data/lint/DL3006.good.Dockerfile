# DL3006: passes
FROM debian:12
