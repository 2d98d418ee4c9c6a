# HU007: fails
FROM node:22-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY package.json package-lock.json /app/
RUN npm install
