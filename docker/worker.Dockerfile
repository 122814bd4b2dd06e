# syntax=docker/dockerfile:1
# The Longshore worker images: one definition for the three workers, one final stage per worker. Build from the
# repository root with the worker's name as the target:
#   docker buildx build -f docker/worker.Dockerfile --target video -t longshore/video .
# (scripts/build-images and scripts/push-images do this, the latter for linux/arm64 and linux/amd64).
# Shared by every worker: the JVM flags (scripts/jvm.options, the one list, read as a java @argfile), the non-root
# user, tini as PID 1, SIGTERM as the stop signal, the health check and /app/worker.jar. What differs is explicit in
# the worker stages at the end: video adds ffmpeg and a smaller heap share, ai the NVIDIA toolkit's variables,
# messaging nothing. How to run the images (flags the user data uses): docs/deploy.md, "The images".
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21
# JDK 25: the AOT cache each worker stage makes at build time (docs/performance.md "Start-up with the image's command").
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre
ARG INIT_IMAGE=debian:bookworm-slim

# The jars are the same on every platform: build them once, natively, on the build machine's platform. All three in
# one stage, so building the three images builds the jars once.
FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl worker-messaging,worker-video,worker-ai -am package

# tini, from Debian's package for the target platform, fetched on the build platform (no emulation). The static
# build runs on any base image. An empty directory to create /work with, without a RUN step in the runtime stage.
FROM --platform=$BUILDPLATFORM ${INIT_IMAGE} AS init
ARG TARGETARCH
RUN dpkg --add-architecture "$TARGETARCH" \
 && apt-get update -qq \
 && cd /tmp \
 && apt-get download -qq "tini:$TARGETARCH" \
 && dpkg-deb -x tini_*.deb /tmp/tini \
 && install -m 0755 /tmp/tini/usr/bin/tini-static /tini \
 && mkdir /empty

# No RUN step in this stage. The worker stages have one each, the AOT training run, which runs the target platform's
# java: building for another platform runs it under emulation (slow, but the cache is platform-specific anyway).
FROM ${RUNTIME_IMAGE} AS runtime
COPY --from=init /tini /usr/bin/tini
COPY scripts/jvm.options /app/jvm.options
COPY --chmod=0755 docker/start-worker /app/start-worker
# The one writable directory besides /tmp (the user data runs the root file system read-only and mounts a volume
# here); created by COPY so it belongs to the worker's user.
COPY --from=init --chown=10001:10001 /empty/ /work/
# A numeric user that exists nowhere else: never root, and owns nothing outside /work and /tmp.
USER 10001:10001
# The worker binds its health endpoint to 127.0.0.1 unless told otherwise; a published port reaches the
# container's own interface, so listen on all of them (the user data publishes it on the host's 127.0.0.1 only).
# JAVA_ACTIVE_PROCESSORS: the user data passes the instance's CPU count, because CPU shares do not limit
# availableProcessors() since JDK 19. JAVA_WORKER_OPTS: a worker stage's additions to scripts/jvm.options (later
# flags win). JAVA_AOT: the AOT cache the worker stage made (empty: none). JAVA_OPTS: the operator's, last.
ENV WORKER_HEALTH_PORT=8080 \
    WORKER_HEALTH_BIND=0.0.0.0 \
    JAVA_ACTIVE_PROCESSORS= \
    JAVA_WORKER_OPTS= \
    JAVA_AOT=-XX:AOTCache=/app/worker.aot \
    JAVA_OPTS=
EXPOSE 8080
# What the image is (OCI annotations; docs/deploy.md, "Releases"): scripts/push-images passes the build
# version, the git commit, the repository and longshore-<worker>. Metadata only: no layer depends on them.
ARG IMAGE_VERSION=unknown
ARG IMAGE_REVISION=
ARG IMAGE_SOURCE=
ARG IMAGE_TITLE=longshore-worker
LABEL org.opencontainers.image.version="${IMAGE_VERSION}" \
      org.opencontainers.image.revision="${IMAGE_REVISION}" \
      org.opencontainers.image.source="${IMAGE_SOURCE}" \
      org.opencontainers.image.title="${IMAGE_TITLE}"
# SIGTERM starts the drain (README "Signals, states and exit codes"); docker waits --stop-timeout before SIGKILL.
STOPSIGNAL SIGTERM
# bash's /dev/tcp: the JRE image needs no HTTP client for this.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD bash -c 'p=${WORKER_HEALTH_PORT:-8080}; if [ "$p" = off ]; then exit 0; fi; exec 3<>"/dev/tcp/127.0.0.1/$p" && printf "GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && read -r -t 4 _ code _ <&3 && [ "$code" = 200 ]'
# tini is PID 1: it reaps zombies (orphaned ffmpeg or task processes) and passes SIGTERM to java, its only child.
# Not `tini -g`: the drain decides when a job's processes stop, so they must not get SIGTERM before java does.
# docker/start-worker holds the java command (it execs java).
ENTRYPOINT ["/usr/bin/tini", "--", "/app/start-worker"]

# Messaging worker (webhooks, e-mail): nothing beyond the runtime.
FROM runtime AS messaging
COPY --from=build --chown=10001:10001 /src/worker-messaging/target/worker-messaging.jar /app/worker.jar
# The AOT cache: a training run of the image's own command (docker/start-worker, so the flags match) with no network
# and a queue nothing answers, stopped with SIGTERM after 10 s; it writes /app/worker.aot as it exits.
USER root
RUN --network=none JAVA_AOT=-XX:AOTCacheOutput=/app/worker.aot JAVA_ACTIVE_PROCESSORS=2 WORKER_HEALTH_PORT=off WORKER_METRICS_NAMESPACE=off WORKER_GPU_REQUIRED=false AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training WORKER_QUEUE_URL=http://127.0.0.1:9/000000000000/aot-training timeout -s TERM 10 /app/start-worker; test -s /app/worker.aot
USER 10001:10001

# AI worker (ai.run tasks; CPU flavour, or GPU flavour with `docker run --gpus all`). The NVIDIA container toolkit
# on the host (the GPU AMI has it) injects libnvidia-ml.so.1 and the devices when the container runs with --gpus
# all; these two say which driver parts to inject. They are inert without --gpus, and the CPU flavour sets
# WORKER_GPU_REQUIRED=false. Job directories go under /work (the writable volume), not /tmp.
FROM runtime AS ai
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    WORKER_JOBS_DIR=/work/ai-jobs
COPY --from=build --chown=10001:10001 /src/worker-ai/target/worker-ai.jar /app/worker.jar
# The AOT cache: a training run of the image's own command (docker/start-worker, so the flags match) with no network
# and a queue nothing answers, stopped with SIGTERM after 10 s; it writes /app/worker.aot as it exits.
USER root
RUN --network=none JAVA_AOT=-XX:AOTCacheOutput=/app/worker.aot JAVA_ACTIVE_PROCESSORS=2 WORKER_HEALTH_PORT=off WORKER_METRICS_NAMESPACE=off WORKER_GPU_REQUIRED=false AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training WORKER_QUEUE_URL=http://127.0.0.1:9/000000000000/aot-training timeout -s TERM 10 /app/start-worker; test -s /app/worker.aot
USER 10001:10001

# Video worker (video.transcode with ffmpeg). Its apt-get step, like the AOT training, runs at the target platform:
# building it for arm64 on an amd64 machine needs QEMU emulation. ffmpeg runs inside the container's memory limit too, so the heap takes 40%
# instead of scripts/jvm.options' 50%.
FROM runtime AS video
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
USER 10001:10001
ENV WORKER_FFMPEG=ffmpeg \
    WORKER_WORK_DIR=/work \
    JAVA_WORKER_OPTS=-XX:MaxRAMPercentage=40
COPY --from=build --chown=10001:10001 /src/worker-video/target/worker-video.jar /app/worker.jar
# The AOT cache: a training run of the image's own command (docker/start-worker, so the flags match) with no network
# and a queue nothing answers, stopped with SIGTERM after 10 s; it writes /app/worker.aot as it exits.
USER root
RUN --network=none JAVA_AOT=-XX:AOTCacheOutput=/app/worker.aot JAVA_ACTIVE_PROCESSORS=2 WORKER_HEALTH_PORT=off WORKER_METRICS_NAMESPACE=off WORKER_GPU_REQUIRED=false AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training WORKER_QUEUE_URL=http://127.0.0.1:9/000000000000/aot-training timeout -s TERM 10 /app/start-worker; test -s /app/worker.aot
USER 10001:10001
