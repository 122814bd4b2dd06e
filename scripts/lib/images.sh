#!/usr/bin/env bash
# Image build helpers shared by build-images and push-images; sourced after lib/aws.sh.
# Every worker's image is built from the repository root with docker/worker.Dockerfile, its target being the
# worker's name (the stage that adds what that worker needs). The jars are built inside the image build
# (maven + JDK 21 stage), so no local JDK is needed for images.

# shellcheck disable=SC2034 # used by the scripts that source this file
LONGSHORE_DOCKERFILE=docker/worker.Dockerfile

# Fails early unless docker buildx is usable.
need_buildx() {
  need_docker
  docker buildx version >/dev/null 2>&1 ||
    die "docker buildx is missing: install the docker-buildx plugin (Docker Desktop and docker-ce include it)"
}

# Checks every platform asked for is one the builder can run (arm64 on an amd64 machine needs QEMU).
need_platforms() {
  local builder=$1 platforms=$2 supported p
  supported=$(docker buildx inspect --bootstrap "$builder" 2>/dev/null | awk -F': *' '/^Platforms:/ { print $2 }')
  supported=${supported//\*/}  # buildx marks the platforms a node was configured with: linux/arm64*
  for p in ${platforms//,/ }; do
    case ", $supported," in
      *", $p,"* | *", $p/"*) ;;
      *) die "builder $builder cannot build $p (it supports: ${supported:-none}). On an amd64 machine, install QEMU emulation once with: docker run --privileged --rm tonistiigi/binfmt --install arm64" ;;
    esac
  done
}

# The repository root's short commit, with -dirty when the working tree has changes; "dev" outside git.
default_tag() {
  local root=$1 commit
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null) || { echo dev; return; }
  if [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]; then
    echo "$commit-dirty"
  else
    echo "$commit"
  fi
}

# Parses WORKER arguments into the array named by $1 (all workers when none given).
select_workers() {
  local -n chosen=$1
  shift
  chosen=()
  if [ $# -eq 0 ]; then
    chosen=("${LONGSHORE_WORKERS[@]}")
    return
  fi
  local w
  for w in "$@"; do
    need_worker "$w"
    chosen+=("$w")
  done
}
