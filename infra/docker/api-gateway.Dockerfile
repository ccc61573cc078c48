# syntax=docker/dockerfile:1.7
# sipai api-gateway: REST API /v1/* and telephony webhooks /telephony/*
# Build from the repository root (the build context must hold the whole Maven reactor):
#   docker build -f infra/docker/api-gateway.Dockerfile -t sipai/api-gateway:$(git rev-parse HEAD) .
# No secret is baked in: every credential arrives at run time from the orchestrator
# (ECS task-definition "secrets", Kubernetes Secret, or compose environment).

# Node.js and npm build the web console (module console) that api-gateway serves; Ubuntu's nodejs is older than
# Vite needs, so they come from the official image.
FROM node:22.21.1-bookworm-slim AS node

FROM eclipse-temurin:21.0.8_9-jdk-noble AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl api-gateway -am package -DskipTests \
    && cp api-gateway/target/api-gateway-exec.jar /tmp/app.jar

FROM eclipse-temurin:21.0.8_9-jre-noble
LABEL org.opencontainers.image.title="sipai-api-gateway" \
      org.opencontainers.image.description="sipai api-gateway" \
      org.opencontainers.image.licenses="Apache-2.0"
# tini is PID 1 so SIGTERM reaches the JVM and zombies are reaped (graceful drain);
# curl serves the HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sipai \
    && useradd --system --uid 10001 --gid sipai --home-dir /app --no-create-home --shell /usr/sbin/nologin sipai
WORKDIR /app
COPY --from=build --chown=10001:10001 /tmp/app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/app.jar"]
