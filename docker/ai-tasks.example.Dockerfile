# syntax=docker/dockerfile:1
# An AI worker image that carries its tasks: FROM the stack's AI image, plus a tasks file and the programs it names
# (docs/ai.md "Tasks on the stack"). The stack's AI image alone registers no task, so every ai.run job would be
# dead-lettered as unknown_task. Copy this file and docker/ai-tasks.example/ next to your own programs, then build
# and push to the stack's AI repository under your own tag, and deploy with ai.imageTag and ai.tasksFile:
#   docker buildx build -f docker/ai-tasks.example.Dockerfile \
#     --build-arg AI_IMAGE=123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/ai:3f2c1ab \
#     -t 123456789012.dkr.ecr.eu-west-1.amazonaws.com/longshore/ai:tasks-1 --push docker/
#   scripts/deploy --region eu-west-1 ai.imageTag=tasks-1 ai.tasksFile=/opt/tasks/tasks.json
# The worker's jar, JVM flags, AOT cache, user and entrypoint all come from the AI image unchanged.
ARG AI_IMAGE=longshore/ai:latest
FROM ${AI_IMAGE}
# Programs and the tasks file belong to root and are read-only for the worker's user (10001): a task cannot change
# what later tasks run. Writable places stay /work and /tmp.
COPY --chown=0:0 --chmod=0755 ai-tasks.example/bin/ /opt/tasks/bin/
COPY --chown=0:0 --chmod=0644 ai-tasks.example/tasks.json /opt/tasks/tasks.json
# Also set by ai.tasksFile on the stack; here so that `docker run` of this image alone finds its tasks too.
ENV WORKER_AI_TASKS=/opt/tasks/tasks.json
