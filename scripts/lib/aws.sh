#!/usr/bin/env bash
# Helpers shared by the deploy scripts (build-images, push-images, put-env, deploy, destroy, synth); sourced.
# Every prerequisite check fails early with one message that says what is missing and how to get it.

LONGSHORE_WORKERS=(messaging video ai)
# shellcheck disable=SC2034 # used by the scripts that source this file
LONGSHORE_DEFAULT_STACK=Longshore
# shellcheck disable=SC2034
LONGSHORE_DEFAULT_REPOSITORY_PREFIX=longshore
# SSM parameter (per region) naming the bucket scripts/deploy uploads templates to; see scripts/deploy.
# shellcheck disable=SC2034
LONGSHORE_TEMPLATE_BUCKET_PARAMETER=/longshore/template-bucket

die() {
  echo "error: $*" >&2
  exit 1
}

# Exit code 2 for a wrong command line: one line naming the mistake, then the script's synopsis (the first
# line of its usage function) with the hint to --help.
usage_error() {
  echo "error: $*" >&2
  if declare -F usage >/dev/null; then
    echo "$(usage | head -n 1)  (--help for details)" >&2
  else
    echo "run with --help for usage" >&2
  fi
  exit 2
}

need_command() {
  local command=$1 hint=$2
  command -v "$command" >/dev/null 2>&1 || die "$command is not installed: $hint"
}

need_aws_cli() {
  need_command aws "install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
}

need_docker() {
  need_command docker "install Docker (https://docs.docker.com/engine/install/)"
  docker info >/dev/null 2>&1 || die "docker is installed but its daemon is not reachable: start Docker (and check that this user may use it)"
}

# Sets LONGSHORE_REGION from --region, AWS_REGION, AWS_DEFAULT_REGION or the aws CLI profile, in that order.
resolve_region() {
  local given=${1:-}
  LONGSHORE_REGION=${given:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
  if [ -z "$LONGSHORE_REGION" ] && command -v aws >/dev/null 2>&1; then
    LONGSHORE_REGION=$(aws configure get region 2>/dev/null || true)
  fi
  [ -n "$LONGSHORE_REGION" ] || die "no AWS region: pass --region, set AWS_REGION, or run 'aws configure set region eu-west-1'"
  export AWS_REGION=$LONGSHORE_REGION
}

# Sets LONGSHORE_ACCOUNT from the caller's credentials; fails early when there are none.
resolve_account() {
  LONGSHORE_ACCOUNT=$(aws sts get-caller-identity --query Account --output text 2>/dev/null) ||
    die "no usable AWS credentials: run 'aws configure' (or 'aws sso login'), or set AWS_PROFILE / AWS_ACCESS_KEY_ID"
  [[ "$LONGSHORE_ACCOUNT" =~ ^[0-9]{12}$ ]] || die "aws sts get-caller-identity returned no account id ('$LONGSHORE_ACCOUNT')"
}

is_worker() {
  local name=$1 w
  for w in "${LONGSHORE_WORKERS[@]}"; do
    [ "$w" = "$name" ] && return 0
  done
  return 1
}

need_worker() {
  is_worker "$1" || usage_error "unknown worker '$1': expected one of ${LONGSHORE_WORKERS[*]}"
}

need_stack_name() {
  [[ "$1" =~ ^[A-Za-z][A-Za-z0-9-]{0,100}$ ]] || usage_error "stack name '$1' is invalid: letters, digits and hyphens, starting with a letter"
}

# Prints a command the way a shell would read it back (for --dry-run and progress lines).
show_command() {
  local out="" arg
  for arg in "$@"; do
    out+=" $(printf '%q' "$arg")"
  done
  echo "+${out}"
}
