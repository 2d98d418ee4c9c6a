# DL3006: fails
FROM debian
