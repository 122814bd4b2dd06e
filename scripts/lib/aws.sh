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

# Prints a command the way a shell would read it back (for --dry-run and progress lines). An argument with
# characters a shell treats specially goes in single quotes, so JSON and queries stay readable and copyable.
show_command() {
  local out="" arg quote="'" escaped="'\\''"
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      out+=" $arg"
    else
      out+=" '${arg//$quote/$escaped}'"
    fi
  done
  echo "+${out}"
}

# Instance refresh (docs/deploy.md: Releases, "Instance refresh"). The alarms that stop a refresh and roll it back:
# the stack names every alarm <stack>-<worker>-<id> (infra WorkerAlarms), so no lookup is needed. RestartLoop is a
# container that keeps failing on the new instances (bad image or .env), Paused a worker that cannot take work (for
# AI: no usable GPU). The queue alarms are left out: a backlog or a dead letter says nothing about the release.
LONGSHORE_REFRESH_ALARMS=(RestartLoop Paused)
# A quarter of the group per step with a pause after each, as a rolling update of the stack does (WorkerSpec:
# UPDATE_BATCHES, DEFAULT_UPDATE_PAUSE): the first quarter runs 5 minutes before the rest follow, long enough for the
# restart-loop alarm to fire.
LONGSHORE_REFRESH_CHECKPOINTS=(25 50 75 100)
LONGSHORE_REFRESH_CHECKPOINT_DELAY=300
# Minutes scripts/deploy and scripts/put-env wait for a refresh by default: four checkpoints, the drains, and up to
# the hour a refresh waits for a busy (scale-in protected) instance.
# shellcheck disable=SC2034
LONGSHORE_REFRESH_TIMEOUT_MINUTES=120

# Prints the preferences of a worker's instance refresh as JSON. InstanceWarmup is left to the group's
# DefaultInstanceWarmup (the stack's instanceWarmup setting). ScaleInProtectedInstances=Wait: a worker protects its
# instance while jobs run (docs/fleet.md: Scale-in protection) and lifts it after a minute idle, so the refresh
# replaces it once idle instead of cutting its jobs short; after an hour of waiting AWS fails the refresh (and rolls
# it back) rather than skip the instance. StandbyInstances=Ignore: an instance in Standby is being looked at by an
# operator, and is left alone. SkipMatching stays false: a refresh mostly exists to make instances read a new .env
# at boot, and they all match the launch template already.
refresh_preferences() {
  local stack=$1 worker=$2 alarms="" checkpoints id
  for id in "${LONGSHORE_REFRESH_ALARMS[@]}"; do
    alarms+="${alarms:+, }\"$stack-$worker-$id\""
  done
  checkpoints=$(IFS=,; echo "${LONGSHORE_REFRESH_CHECKPOINTS[*]}")
  printf '{"MinHealthyPercentage": 75, "CheckpointPercentages": [%s], "CheckpointDelay": %s, "SkipMatching": false, ' \
    "${checkpoints//,/, }" "$LONGSHORE_REFRESH_CHECKPOINT_DELAY"
  printf '"AutoRollback": true, "AlarmSpecification": {"Alarms": [%s]}, "ScaleInProtectedInstances": "Wait", ' "$alarms"
  printf '"StandbyInstances": "Ignore"}\n'
}

# The group's own launch template (or mixed instances policy) as a desired configuration: AWS rolls back only a
# refresh that names one, and naming the current one replaces nothing but the instances.
LONGSHORE_DESIRED_CONFIGURATION_QUERY='AutoScalingGroups[0] | (MixedInstancesPolicy && {MixedInstancesPolicy: {'
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='LaunchTemplate: {LaunchTemplateSpecification: {'
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='LaunchTemplateId: MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId, '
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='Version: MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version}, '
# shellcheck disable=SC2016 # `[]` is a JMESPath literal, not a command
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='Overrides: MixedInstancesPolicy.LaunchTemplate.Overrides || `[]`}, '
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='InstancesDistribution: MixedInstancesPolicy.InstancesDistribution}}) || '
LONGSHORE_DESIRED_CONFIGURATION_QUERY+='{LaunchTemplate: {LaunchTemplateId: LaunchTemplate.LaunchTemplateId, Version: LaunchTemplate.Version}}'
LONGSHORE_REFRESH_STATUS_QUERY='InstanceRefreshes[0].[Status, PercentageComplete, InstancesToUpdate, StatusReason]'

# Prints what refresh_instances would run (for --dry-run).
show_refresh_commands() {
  local region=$1 stack=$2 worker
  shift 2
  for worker in "$@"; do
    show_command aws autoscaling describe-auto-scaling-groups --region "$region" \
      --auto-scaling-group-names "$stack-$worker" --query "$LONGSHORE_DESIRED_CONFIGURATION_QUERY" --output json
    show_command aws autoscaling start-instance-refresh --region "$region" --auto-scaling-group-name "$stack-$worker" \
      --desired-configuration GROUP_LAUNCH_TEMPLATE --preferences "$(refresh_preferences "$stack" "$worker")" \
      --query InstanceRefreshId --output text
  done
  show_command aws autoscaling describe-instance-refreshes --region "$region" --auto-scaling-group-name "$stack-WORKER" \
    --instance-refresh-ids REFRESH_ID --query "$LONGSHORE_REFRESH_STATUS_QUERY" --output text
}

# refresh_instances REGION STACK TIMEOUT_MINUTES WORKER...: starts an instance refresh in each worker's group, then
# waits for all of them, printing progress. Returns 0 when every refresh succeeded; otherwise prints one line per
# group that did not (what happened and what to do) and returns 1. Polls every LONGSHORE_REFRESH_POLL_SECONDS
# (default 30).
refresh_instances() {
  local region=$1 stack=$2 timeout_minutes=$3 worker group id err desired alarms
  shift 3
  local poll=${LONGSHORE_REFRESH_POLL_SECONDS:-30} failed=0
  local -a groups=() ids=()
  [[ "$poll" =~ ^[1-9][0-9]*$ ]] || die "LONGSHORE_REFRESH_POLL_SECONDS must be a whole number of seconds, not '$poll'"
  for worker in "$@"; do
    group=$stack-$worker
    alarms=${LONGSHORE_REFRESH_ALARMS[*]/#/$group-}
    echo "== instance refresh of $group: checkpoints at $(IFS=/; echo "${LONGSHORE_REFRESH_CHECKPOINTS[*]}")%, rolled back if" \
      "${alarms// / or } fires"
    err=$(mktemp)
    # A group that does not exist is an empty answer, which the query turns into a launch template of nulls.
    if ! desired=$(aws autoscaling describe-auto-scaling-groups --region "$region" --auto-scaling-group-names "$group" \
      --query "$LONGSHORE_DESIRED_CONFIGURATION_QUERY" --output json 2>"$err") ||
      ! grep -q '"LaunchTemplateId": *"' <<<"$desired"; then
      cat "$err" >&2
      rm -f "$err"
      echo "error: group $group was not found in $region, or its launch template could not be read: is stack" \
        "$stack deployed there with worker $worker? No refresh was started for it" >&2
      failed=1
      continue
    fi
    if id=$(aws autoscaling start-instance-refresh --region "$region" --auto-scaling-group-name "$group" \
      --desired-configuration "$desired" --preferences "$(refresh_preferences "$stack" "$worker")" \
      --query InstanceRefreshId --output text 2>"$err"); then
      rm -f "$err"
      echo "$group: started instance refresh $id"
      groups+=("$group")
      ids+=("$id")
    elif grep -q InstanceRefreshInProgress "$err"; then
      rm -f "$err"
      echo "error: $group already has an instance refresh in progress: watch it with 'aws autoscaling" \
        "describe-instance-refreshes --region $region --auto-scaling-group-name $group', or stop it with 'aws" \
        "autoscaling cancel-instance-refresh --region $region --auto-scaling-group-name $group', then run this again" >&2
      failed=1
    else
      cat "$err" >&2
      rm -f "$err"
      echo "error: could not start an instance refresh of $group (the alarms $stack-$worker-RestartLoop and" \
        "$stack-$worker-Paused come with the stack: deploy it with scripts/deploy first if they are missing)" >&2
      failed=1
    fi
  done
  [ "${#groups[@]}" -gt 0 ] || return "$failed"

  local timeout=$((timeout_minutes * 60)) waited=0 start=$SECONDS i line status percentage to_update reason why pending
  local -a done_groups=()
  while :; do
    for i in "${!groups[@]}"; do
      [ -z "${done_groups[$i]:-}" ] || continue
      group=${groups[$i]}
      id=${ids[$i]}
      if ! line=$(aws autoscaling describe-instance-refreshes --region "$region" --auto-scaling-group-name "$group" \
        --instance-refresh-ids "$id" --query "$LONGSHORE_REFRESH_STATUS_QUERY" --output text); then
        echo "warning: could not read the state of refresh $id of $group; trying again in ${poll}s" >&2
        continue
      fi
      IFS=$'\t' read -r status percentage to_update reason <<<"$line"
      [ "${reason:-None}" != None ] || reason=""
      [ "${percentage:-None}" != None ] || percentage=0
      [ "${to_update:-None}" != None ] || to_update="?"
      echo "$group: $status, $percentage% done, $to_update instance(s) to update${reason:+ ($reason)}"
      why=${reason%.}
      case "$status" in
        Successful)
          done_groups[i]=ok ;;
        RollbackSuccessful)
          done_groups[i]=failed
          echo "error: the instance refresh of $group was rolled back: ${why:-no reason given}. Its instances run" \
            "the previous launch template again. See why with 'aws cloudwatch describe-alarm-history --alarm-name" \
            "<alarm>'; a roll-back does not undo a .env: put the previous file back with scripts/put-env --refresh" \
            "(docs/deploy.md: Releases)" >&2 ;;
        RollbackFailed)
          done_groups[i]=failed
          echo "error: the instance refresh of $group failed and so did its roll-back: ${why:-no reason given}." \
            "The group may run old and new instances side by side: see 'aws autoscaling describe-scaling-activities" \
            "--region $region --auto-scaling-group-name $group', then refresh again or redeploy the previous" \
            "imageTag (docs/deploy.md: Releases)" >&2 ;;
        Failed)
          done_groups[i]=failed
          echo "error: the instance refresh of $group failed: ${why:-no reason given}. Instances it replaced stay" \
            "replaced; see 'aws autoscaling describe-scaling-activities --region $region --auto-scaling-group-name" \
            "$group' (docs/deploy.md: Releases)" >&2 ;;
        Cancelled)
          done_groups[i]=failed
          echo "error: the instance refresh of $group was cancelled${why:+: $why}. Instances it replaced stay" \
            "replaced; run the refresh again to replace the rest" >&2 ;;
      esac
    done
    pending=0
    for i in "${!groups[@]}"; do
      [ -n "${done_groups[$i]:-}" ] || pending=$((pending + 1))
      [ "${done_groups[$i]:-}" != failed ] || failed=1
    done
    [ "$pending" -gt 0 ] || break
    # Counted both ways: the sum of the sleeps misses the time the aws calls take, and the clock alone would never
    # run out under the tests' stand-in sleep.
    if [ "$waited" -ge "$timeout" ] || [ $((SECONDS - start)) -ge "$timeout" ]; then
      for i in "${!groups[@]}"; do
        [ -z "${done_groups[$i]:-}" ] || continue
        echo "error: the instance refresh ${ids[$i]} of ${groups[$i]} is still running after $timeout_minutes minutes" \
          "and goes on without this script. Watch it: 'aws autoscaling describe-instance-refreshes --region $region" \
          "--auto-scaling-group-name ${groups[$i]} --instance-refresh-ids ${ids[$i]}'; stop it where it is: 'aws" \
          "autoscaling cancel-instance-refresh --region $region --auto-scaling-group-name ${groups[$i]}'; or undo it:" \
          "'aws autoscaling rollback-instance-refresh --region $region --auto-scaling-group-name ${groups[$i]}'" >&2
      done
      return 1
    fi
    sleep "$poll"
    waited=$((waited + poll))
  done
  return "$failed"
}
