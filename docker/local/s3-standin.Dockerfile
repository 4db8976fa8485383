# An S3-compatible server for `make docker-test` where the MinIO image cannot be pulled: moto's
# server, installed offline from docker/wheels on the local Debian base.
ARG BASE=aw-base:bookworm
FROM ${BASE}
COPY docker/wheels/ /wheels/
RUN python3 -m venv /opt/s3 && /opt/s3/bin/pip install --no-index --find-links /wheels "moto[server]" \
 && rm -rf /wheels
EXPOSE 9000
CMD ["/opt/s3/bin/moto_server", "-H", "0.0.0.0", "-p", "9000"]
