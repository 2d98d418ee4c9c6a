# DL3007: fails
FROM debian:latest
