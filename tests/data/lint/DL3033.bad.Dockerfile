# DL3033: fails
FROM rockylinux:9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN yum install -y httpd && yum clean all
