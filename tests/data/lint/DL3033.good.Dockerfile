# DL3033: passes
FROM rockylinux:9@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN yum install -y httpd-2.4.57 && yum module install -y nodejs:18 && yum clean all
