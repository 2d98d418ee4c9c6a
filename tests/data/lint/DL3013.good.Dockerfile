# DL3013: passes
FROM debian:12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN pip install --no-cache-dir requests==2.32.3 -r requirements.txt
