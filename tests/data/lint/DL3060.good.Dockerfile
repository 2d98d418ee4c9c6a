# DL3060: passes
FROM node:22-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN yarn install && yarn cache clean
