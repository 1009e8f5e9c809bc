# cambista: one static binary on a distroless base, run as a non-root user.
#   docker build -t cambista --build-arg VERSION=$(git describe --always) .
# .ci/run builds the binary with the same command as the build stage (the
# line starting "RUN CGO_ENABLED=0 go build"), checks it is static and runs
# "cambista version".

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/cambista ./cmd/cambista
# The SQLite database's directory, owned by the non-root user (65532).
RUN mkdir -p /out/data && chown 65532:65532 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cambista /usr/local/bin/cambista
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV CAMBISTA_DB=/data/cambista.db \
    CAMBISTA_HTTP_ADDR=:8080 \
    CAMBISTA_METRICS_ADDR=:9090
EXPOSE 8080 9090
# No shell or curl in the image: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/cambista", "health"]
ENTRYPOINT ["/usr/local/bin/cambista"]
CMD ["serve"]
