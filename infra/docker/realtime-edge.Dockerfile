# syntax=docker/dockerfile:1.7
# sipai realtime-edge: WebSocket audio edge /realtime/*, Twilio and jambonz media streams
# Build from the repository root (the build context must hold the whole Maven reactor):
#   docker build -f infra/docker/realtime-edge.Dockerfile -t sipai/realtime-edge:$(git rev-parse HEAD) .
# No secret is baked in: every credential arrives at run time from the orchestrator
# (ECS task-definition "secrets", Kubernetes Secret, or compose environment).

FROM eclipse-temurin:21.0.8_9-jdk-noble AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl realtime-edge -am package -DskipTests \
    && cp realtime-edge/target/realtime-edge-exec.jar /tmp/app.jar

FROM eclipse-temurin:21.0.8_9-jre-noble
LABEL org.opencontainers.image.title="sipai-realtime-edge" \
      org.opencontainers.image.description="sipai realtime-edge" \
      org.opencontainers.image.licenses="Apache-2.0"
# tini is PID 1 so SIGTERM reaches the JVM and zombies are reaped (graceful drain);
# curl serves the HEALTHCHECK; flite is the offline voice (first audio in about 11 ms, MaryTTS otherwise).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini curl flite \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sipai \
    && useradd --system --uid 10001 --gid sipai --home-dir /app --no-create-home --shell /usr/sbin/nologin sipai
WORKDIR /app
COPY --from=build --chown=10001:10001 /tmp/app.jar /app/app.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8081
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8081/health"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/app/app.jar"]
