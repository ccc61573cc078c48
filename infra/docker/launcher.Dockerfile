# syntax=docker/dockerfile:1.7
# sipai launcher as a one-shot tools image: `create-topics` creates every topic of the
# schemas Topics registry against KAFKA_BOOTSTRAP_SERVERS, then exits. Used by the compose
# topic-init service, the ECS one-off task and the Kubernetes Job.
#   docker build -f infra/docker/launcher.Dockerfile -t sipai/launcher:$(git rev-parse HEAD) .

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
    ./mvnw -B -q -pl launcher -am package -DskipTests \
    && cp launcher/target/launcher.jar /tmp/app.jar

FROM eclipse-temurin:21.0.8_9-jre-noble
LABEL org.opencontainers.image.title="sipai-launcher" \
      org.opencontainers.image.description="sipai launcher (create-topics job)" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sipai \
    && useradd --system --uid 10001 --gid sipai --home-dir /app --no-create-home --shell /usr/sbin/nologin sipai
WORKDIR /app
COPY --from=build --chown=10001:10001 /tmp/app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001:10001
# A run-to-completion job: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/app.jar"]
CMD ["create-topics"]
