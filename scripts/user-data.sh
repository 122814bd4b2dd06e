#!/usr/bin/env bash
# Longshore user data: starts one worker container on an EC2 instance of the worker's Auto Scaling group.
#
# The stack (infra module, WorkerUserData) renders this file into each launch template with LONGSHORE_*
# assignments in front of it. To run it by hand, export them; `user-data.sh --help` lists them.
# Steps, every network step with retries and backoff:
#   1. the aws CLI and docker (installed with dnf when the AMI lacks them), docker enabled and started
#   2. the env file: the values the stack owns, the stack's defaults that the SSM parameter's .env does not set,
#      and the parameter's NAME (WORKER_SSM_ENV_PARAMETER). The worker reads the parameter itself, so its values
#      stay in the worker's memory: never in this file, a process environment or `docker inspect`
#      (docs/security.md, "What a task can reach"). Written readable by root only.
#   3. ECR login, docker pull, docker run (the watchdog restarts it, step 5) with a stop timeout
#      longer than the drain, CPU, memory and process limits, no capabilities, a read-only root file system,
#      GPU flags for the GPU flavour, logs to CloudWatch Logs
#   4. this script's log and a final `docker ps -a` shipped to CloudWatch Logs (stream <instance-id>/user-data),
#      so "the instance is up but the container is not" can be diagnosed from the console.
#   5. the watchdog (docs/deploy.md "Liveness on the instance"): a copy of this script run with --watchdog by a
#      systemd timer; it restarts a worker that is not live or exited outside a drain (also after a reboot), and
#      marks the instance Unhealthy when the worker keeps failing. Docker itself restarts nothing (--restart no):
#      only the watchdog knows whether the instance is being terminated.
# Never add `set -x`: the parameter's text (secrets) passes through this script's memory to learn its names.
set -euo pipefail
umask 077

usage() {
  cat <<'USAGE'
Usage: user-data.sh [--watchdog]
Starts a Longshore worker container on this EC2 instance, and its watchdog (--watchdog: one pass of it). Run as root by cloud-init; settings come from
LONGSHORE_* variables that the stack puts in front of this script:
  required: LONGSHORE_WORKER LONGSHORE_REGION LONGSHORE_IMAGE LONGSHORE_QUEUE_URL LONGSHORE_ASG_NAME
            LONGSHORE_HOOK_NAME LONGSHORE_ENV_PARAMETER LONGSHORE_LOG_GROUP
  optional: LONGSHORE_METRICS_NAMESPACE (Longshore) LONGSHORE_HEALTH_PORT (8080)
            LONGSHORE_DRAIN_TIMEOUT (30s) LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT (15m) LONGSHORE_GPU (false)
            LONGSHORE_DEFAULT_ENV (space-separated KEY=VALUE defaults) LONGSHORE_RETRY_ATTEMPTS (8)
            LONGSHORE_RETRY_MAX_DELAY (60 s) LONGSHORE_HEALTH_WAIT (240 s) LONGSHORE_STOP_MARGIN (30 s)
            LONGSHORE_MEMORY_RESERVE_MIB (256) LONGSHORE_PIDS_LIMIT (1024) LONGSHORE_TMP_MIB (256)
            LONGSHORE_WATCHDOG_INTERVAL (10 s) LONGSHORE_WATCHDOG_FAILURES (6 probes)
            LONGSHORE_WATCHDOG_MAX_RESTARTS (3) LONGSHORE_WATCHDOG_WINDOW (900 s)
            LONGSHORE_ROOT (prefix of every file written; tests only)
USAGE
}
mode=boot
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --watchdog) mode=watchdog ;;
  "") ;;
  *) usage >&2; exit 2 ;;
esac

missing=()
for var in LONGSHORE_WORKER LONGSHORE_REGION LONGSHORE_IMAGE LONGSHORE_QUEUE_URL LONGSHORE_ASG_NAME \
  LONGSHORE_HOOK_NAME LONGSHORE_ENV_PARAMETER LONGSHORE_LOG_GROUP; do
  [ -n "${!var:-}" ] || missing+=("$var")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "user-data: error: missing settings: ${missing[*]} (see --help)" >&2
  exit 2
fi

worker=$LONGSHORE_WORKER
region=$LONGSHORE_REGION
image=$LONGSHORE_IMAGE
health_port=${LONGSHORE_HEALTH_PORT:-8080}
gpu=${LONGSHORE_GPU:-false}
attempts=${LONGSHORE_RETRY_ATTEMPTS:-8}
max_delay=${LONGSHORE_RETRY_MAX_DELAY:-60}
health_wait=${LONGSHORE_HEALTH_WAIT:-240}
stop_margin=${LONGSHORE_STOP_MARGIN:-30}
memory_reserve_mib=${LONGSHORE_MEMORY_RESERVE_MIB:-256}
# Threads and processes in the container: the JVM's threads (pollers, job threads, SDK and health server) plus
# ffmpeg or task processes, with room for both; a fork bomb stops here instead of taking the instance.
pids_limit=${LONGSHORE_PIDS_LIMIT:-1024}
# The JVM's scratch (user.home, JNA's native library) and tasks' temporary files; counted in the memory limit.
tmp_mib=${LONGSHORE_TMP_MIB:-256}
container=longshore-$worker

root=${LONGSHORE_ROOT:-}
state_dir=$root/var/lib/longshore
env_dir=$root/etc/longshore
env_file=$env_dir/$worker.env
log_file=$root/var/log/longshore-user-data.log
docker_dropin=$root/etc/systemd/system/docker.service.d/longshore-stop-timeout.conf
mkdir -p "$state_dir" "$(dirname "$log_file")"
mkdir -p "$env_dir"
chmod 700 "$env_dir"
instance_id=""

log_tag=user-data
log() {
  printf '%s %s[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$log_tag" "$worker" "$*" | tee -a "$log_file" >&2
}

# Runs a command with its output (never secret) appended to the log.
run_logged() {
  "$@" >>"$log_file" 2>&1
}

# retry WHAT COMMAND...: up to $attempts tries, waiting 2, 4, 8 ... seconds (at most $max_delay) in between.
retry() {
  local what=$1 try=1 delay=2 rc
  shift
  while true; do
    if "$@"; then
      return 0
    else
      rc=$?
    fi
    if [ "$try" -ge "$attempts" ]; then
      log "$what failed $try times (last exit code $rc); giving up"
      return "$rc"
    fi
    log "$what failed (try $try of $attempts, exit code $rc); retrying in ${delay}s"
    sleep "$delay"
    try=$((try + 1))
    delay=$((delay * 2))
    if [ "$delay" -gt "$max_delay" ]; then delay=$max_delay; fi
  done
}

# Whole seconds (rounded up) of a duration written as the workers accept it: 250ms, 30s, 5m, 1h or bare seconds.
seconds_of() {
  local value=$1 number unit
  case "$value" in
    *ms) number=${value%ms}; unit=ms ;;
    *s) number=${value%s}; unit=1 ;;
    *m) number=${value%m}; unit=60 ;;
    *h) number=${value%h}; unit=3600 ;;
    *) number=$value; unit=1 ;;
  esac
  [[ "$number" =~ ^[0-9]{1,9}$ ]] || return 1
  if [ "$unit" = ms ]; then
    echo $(((10#$number + 999) / 1000))
  else
    echo $((10#$number * unit))
  fi
}

imds() {
  local token
  token=$(curl -sS -f --max-time 5 -X PUT "http://169.254.169.254/latest/api/token" \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300") || return 1
  curl -sS -f --max-time 5 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# Sends the log (last 5,000 lines) to the worker's log group, stream <instance-id>/user-data.
ship_log() {
  local stream="${instance_id:-unknown-$(uname -n)}/$log_tag" events=$state_dir/log-events.json
  local err=$state_dir/create-log-stream.err attempts=3
  tail -n 5000 "$log_file" | tr -d '\000-\010\013-\037' | awk -v ts="$(date +%s)000" '
    BEGIN { printf "[" }
    {
      line = substr($0, 1, 8000)
      gsub(/\\/, "\\\\", line); gsub(/"/, "\\\"", line); gsub(/\t/, "\\t", line)
      if (line == "") line = " "
      printf "%s{\"timestamp\":%s,\"message\":\"%s\"}", (NR > 1 ? "," : ""), ts, line
    }
    END { print "]" }' >"$events"
  if ! aws logs create-log-stream --region "$region" --log-group-name "$LONGSHORE_LOG_GROUP" \
    --log-stream-name "$stream" 2>"$err"; then
    grep -q ResourceAlreadyExistsException "$err" || { cat "$err" >>"$log_file"; return 1; }
  fi
  retry "shipping this log to $LONGSHORE_LOG_GROUP" run_logged aws logs put-log-events --region "$region" \
    --log-group-name "$LONGSHORE_LOG_GROUP" --log-stream-name "$stream" --log-events "file://$events"
}

# Liveness (docs/deploy.md "Liveness on the instance"). The watchdog is this script, copied to the instance with the
# settings in front of it, run once every LONGSHORE_WATCHDOG_INTERVAL by a systemd timer (so it runs again after a
# reboot). It keeps its state in $watchdog_dir: failed probes in a row, the times of recent restarts, and when it
# last marked the instance Unhealthy.
watchdog_interval=${LONGSHORE_WATCHDOG_INTERVAL:-10}
# Six failed probes ten seconds apart: a JVM that starts slowly is not restarted before it is up.
watchdog_failures=${LONGSHORE_WATCHDOG_FAILURES:-6}
# Three restarts in 15 minutes is also what the RestartLoop alarm counts (docs/deploy.md "Alarms and dashboard").
watchdog_max_restarts=${LONGSHORE_WATCHDOG_MAX_RESTARTS:-3}
watchdog_window=${LONGSHORE_WATCHDOG_WINDOW:-900}
watchdog_dir=$state_dir/watchdog
watchdog_script=$root/usr/local/sbin/longshore-watchdog
unit=$root/etc/systemd/system/longshore-watchdog
if [ "$mode" = watchdog ]; then
  log_tag=watchdog
  log_file=$root/var/log/longshore-watchdog.log
fi

# Marks this instance Unhealthy (the group replaces it) and says why. Auto Scaling ignores the call within the
# group's health check grace period, so it is repeated, at most every 5 minutes.
mark_unhealthy() {
  local now last
  mkdir -p "$watchdog_dir"
  now=$(date +%s)
  last=$(cat "$watchdog_dir/unhealthy" 2>/dev/null || echo 0)
  if [ $((now - last)) -lt 300 ]; then return 0; fi
  log "marking instance $instance_id Unhealthy so that $LONGSHORE_ASG_NAME replaces it: $1"
  if retry "marking the instance Unhealthy" run_logged aws autoscaling set-instance-health --region "$region" \
    --instance-id "$instance_id" --health-status Unhealthy --should-respect-grace-period; then
    echo "$now" >"$watchdog_dir/unhealthy"
  fi
}

# restart_worker REASON VERB: docker VERB (start or restart) and one WorkerRestarts datum (the RestartLoop alarm's
# metric), unless the restarts within the window are used up.
restart_worker() {
  local now=$(($(date +%s)))
  awk -v since=$((now - watchdog_window)) '$1 > since' "$watchdog_dir/restarts" >"$watchdog_dir/r" 2>/dev/null || true
  mv -f "$watchdog_dir/r" "$watchdog_dir/restarts"
  if [ "$(wc -l <"$watchdog_dir/restarts")" -ge "$watchdog_max_restarts" ]; then
    mark_unhealthy "$1 after $watchdog_max_restarts restarts in ${watchdog_window}s; not restarting it again"
    return 0
  fi
  echo "$now" >>"$watchdog_dir/restarts"
  echo 0 >"$watchdog_dir/failures"
  log "restarting $container: $1"
  retry "restarting $container" run_logged docker "$2" "$container" || return 0
  retry "publishing WorkerRestarts" run_logged aws cloudwatch put-metric-data --region "$region" \
    --namespace "${LONGSHORE_METRICS_NAMESPACE:-Longshore}" --metric-name WorkerRestarts \
    --dimensions "AutoScalingGroupName=$LONGSHORE_ASG_NAME" --value 1 --unit Count || true
}

# in_service WHAT: true while IMDS says InService. A worker that completed the lifecycle action exits 0 and must stay
# down, and one draining in Terminating:Wait must not be restarted: the instance is leaving.
in_service() {
  local lifecycle
  if ! lifecycle=$(imds autoscaling/target-lifecycle-state 2>/dev/null); then
    log "$1; IMDS does not say the lifecycle state, so not restarted yet"
    return 1
  fi
  if [ "$lifecycle" = InService ]; then
    rm -f "$watchdog_dir/leaving"
    return 0
  fi
  if [ ! -f "$watchdog_dir/leaving" ]; then
    log "$1; the instance is $lifecycle, so it is not restarted"
    touch "$watchdog_dir/leaving"
  fi
  return 1
}

# One pass: probe a running worker; restart a stopped one unless the instance is leaving service.
watchdog_pass() {
  local status code failures
  mkdir -p "$watchdog_dir"
  instance_id=$(cat "$watchdog_dir/instance-id")
  read -r status code < <(docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$container" 2>/dev/null \
    || echo missing)
  if [ "$status" = running ]; then
    if curl -sS -f --max-time 5 -o /dev/null "http://127.0.0.1:$health_port/health/live" 2>/dev/null; then
      echo 0 >"$watchdog_dir/failures"
      return 0
    fi
    failures=$(($(cat "$watchdog_dir/failures" 2>/dev/null || echo 0) + 1))
    echo "$failures" >"$watchdog_dir/failures"
    log "/health/live failed ($failures of $watchdog_failures in a row)"
    if [ "$failures" -ge "$watchdog_failures" ] && in_service "$container is not live"; then
      restart_worker "/health/live failed $failures times in a row" restart
    fi
    return 0
  fi
  if [ "$status" = missing ]; then
    log "there is no container $container to restart; run the user data again to create it"
    return 0
  fi
  if ! in_service "$container is $status (exit code $code)"; then
    return 0
  elif [ "$code" = 2 ]; then
    mark_unhealthy "$container exited with code 2 (configuration error; its output is in stream $instance_id/worker)"
  else
    restart_worker "$container is $status with exit code $code outside a drain" start
  fi
}

# Writes the watchdog (this script after the settings it runs with) and its systemd timer, and starts the timer.
install_watchdog() {
  mkdir -p "$watchdog_dir" "$(dirname "$watchdog_script")" "$(dirname "$unit")"
  echo "$instance_id" >"$watchdog_dir/instance-id"
  { echo '#!/usr/bin/env bash'; declare -p "${!LONGSHORE_@}"; cat "$0"; } >"$watchdog_script"
  chmod 700 "$watchdog_script"
  printf '[Unit]\nAfter=docker.service\nRequires=docker.service\n[Service]\nType=oneshot\nExecStart=%s --watchdog\n' \
    "$watchdog_script" >"$unit.service"
  printf '[Timer]\nOnBootSec=%ss\nOnUnitActiveSec=%ss\nAccuracySec=1s\n[Install]\nWantedBy=timers.target\n' \
    "$watchdog_interval" "$watchdog_interval" >"$unit.timer"
  retry "reloading systemd" run_logged systemctl daemon-reload
  retry "starting the watchdog" run_logged systemctl enable --now longshore-watchdog.timer
  log "watchdog: /health/live every ${watchdog_interval}s, restart after $watchdog_failures failures;" \
    "Unhealthy after $watchdog_max_restarts restarts in ${watchdog_window}s or on exit code 2"
}

if [ "$mode" = watchdog ]; then
  watchdog_pass
  # A pass that logged ships its lines (stream <instance-id>/watchdog) and keeps them in .1, so none is sent twice.
  if [ -s "$log_file" ]; then
    ship_log || echo "watchdog: could not ship $log_file" >&2
    mv -f "$log_file" "$log_file.1"
  fi
  exit 0
fi

finish() {
  local rc=$?
  trap - EXIT
  set +e
  if [ "$rc" -eq 0 ]; then
    log "done: container $container runs $image"
  else
    log "FAILED (exit code $rc): the instance is up but the worker may not be; see the lines above"
    # Before the watchdog runs nothing would ever start the worker (an image that never pulls, a missing driver).
    if [ ! -f "$watchdog_dir/instance-id" ] && [ -n "$instance_id" ]; then
      mark_unhealthy "the user data failed before the worker started"
    fi
  fi
  if command -v docker >/dev/null 2>&1; then
    { echo "--- docker ps -a"; docker ps -a 2>&1; } | tee -a "$log_file" >&2
  fi
  if command -v aws >/dev/null 2>&1; then
    ship_log || log "could not ship this log to CloudWatch Logs; it stays in $log_file"
  fi
  exit "$rc"
}
trap finish EXIT

install_package() {
  local package=$1
  if command -v dnf >/dev/null 2>&1; then
    retry "installing $package" run_logged dnf install -y "$package"
  elif command -v yum >/dev/null 2>&1; then
    retry "installing $package" run_logged yum install -y "$package"
  else
    log "$package is missing and there is no dnf or yum to install it: use an AMI that has it"
    return 1
  fi
}

# Reads the .env text from SSM into ssm_text (a variable, never a file). A parameter that does not exist means no
# .env (it is optional): ssm_exists=false, and the worker is not told about it (it would refuse a missing one).
ssm_text=""
ssm_exists=true
read_env_parameter() {
  local err=$state_dir/get-parameter.err
  if ssm_text=$(aws ssm get-parameter --region "$region" --name "$LONGSHORE_ENV_PARAMETER" --with-decryption \
    --query Parameter.Value --output text 2>"$err"); then
    return 0
  fi
  ssm_text=""
  if grep -q ParameterNotFound "$err"; then
    log "SSM parameter $LONGSHORE_ENV_PARAMETER does not exist; the worker gets the stack's values only"
    ssm_exists=false
    return 0
  fi
  cat "$err" >>"$log_file"
  return 1
}

# The .env lines as the worker splits them (CR, LF or CRLF), each with surrounding blanks and `export ` removed.
# The worker's parser is the one grammar (docs/fleet.md, "Configuration from SSM"); scripts/put-env checks a file
# with it before storing. Here only names and one duration are needed: a line the worker would refuse is skipped,
# and the worker refuses it at start, naming its number.
env_lines() {
  printf '%s\n' "$ssm_text" | tr '\r' '\n' |
    awk '{ sub(/^\357\273\277/, ""); sub(/^[[:space:]]+/, ""); sub(/^export[[:space:]]+/, ""); print }'
}

# The variable names the .env sets, one a line, each once.
env_keys() {
  env_lines | awk '
    /^(#|$)/ { next }
    {
      eq = index($0, "="); if (eq < 2) next
      key = substr($0, 1, eq - 1); sub(/[[:space:]]+$/, "", key)
      if (key ~ /^[A-Za-z_][A-Za-z0-9_]*$/ && !(key in seen)) { seen[key] = 1; print key }
    }'
}

# The value the .env gives KEY (its last line wins): quoted, or unquoted up to a ` #` comment. No escapes: it is
# used for a duration only.
env_value_of() {
  env_lines | awk -v want="$1" '
    {
      eq = index($0, "="); if (eq < 2) next
      key = substr($0, 1, eq - 1); sub(/[[:space:]]+$/, "", key)
      if (key != want) next
      v = substr($0, eq + 1); sub(/^[[:space:]]+/, "", v); q = substr(v, 1, 1)
      if (q == "\"" || q == "\047") {
        v = substr(v, 2); end = index(v, q); if (end == 0) next; v = substr(v, 1, end - 1)
      } else {
        if (match(v, /[[:space:]]#/)) v = substr(v, 1, RSTART - 1)
        sub(/[[:space:]]+$/, "", v)
      }
      value = v; found = 1
    }
    END { if (found) print value }'
}

log "starting worker $worker ($image)"
instance_id=$(retry "reading the instance id from IMDSv2" imds instance-id)
log "instance $instance_id, region $region"

if ! command -v aws >/dev/null 2>&1; then
  log "the aws CLI is missing; installing it"
  install_package awscli-2
fi

# 2. The env file. The worker reads its SSM parameter itself and lets a real environment variable win over it
# (docs/fleet.md, "Configuration from SSM"). So the values the stack owns are passed (they must match the stack's
# resources, and the .env cannot change them), a default only when the .env does not set it (the .env may change
# the defaults), and the parameter's name. The parameter is read here, as root, only for the names it sets and the
# drain timeout that sizes docker's stop timeout; no value of it goes into the file.
cpus=$(nproc)
retry "reading SSM parameter $LONGSHORE_ENV_PARAMETER" read_env_parameter
ssm_keys=$(env_keys | paste -s -d, -)
ssm_sets() { [[ ",$ssm_keys," == *",$1,"* ]]; }
drain=${LONGSHORE_DRAIN_TIMEOUT:-30s}
if ssm_sets WORKER_DRAIN_TIMEOUT; then drain=$(env_value_of WORKER_DRAIN_TIMEOUT); fi
ssm_text=""
overridden=()
pass_default() {
  if ssm_sets "${1%%=*}"; then overridden+=("${1%%=*}"); else echo "$1"; fi
}
{
  pass_default "WORKER_DRAIN_TIMEOUT=${LONGSHORE_DRAIN_TIMEOUT:-30s}"
  pass_default "WORKER_LIFECYCLE_DRAIN_TIMEOUT=${LONGSHORE_LIFECYCLE_DRAIN_TIMEOUT:-15m}"
  pass_default "WORKER_METRICS_NAMESPACE=${LONGSHORE_METRICS_NAMESPACE:-Longshore}"
  for pair in ${LONGSHORE_DEFAULT_ENV:-}; do pass_default "$pair"; done
  if [ "$ssm_exists" = true ]; then echo "WORKER_SSM_ENV_PARAMETER=$LONGSHORE_ENV_PARAMETER"; fi
  echo "WORKER_QUEUE_URL=$LONGSHORE_QUEUE_URL"
  echo "WORKER_LIFECYCLE_HOOK_NAME=$LONGSHORE_HOOK_NAME"
  echo "WORKER_ASG_NAME=$LONGSHORE_ASG_NAME"
  echo "WORKER_HEALTH_PORT=$health_port"
  echo "WORKER_HEALTH_BIND=0.0.0.0"
  echo "AWS_REGION=$region"
  echo "JAVA_ACTIVE_PROCESSORS=$cpus"
  if [ "$gpu" = true ]; then echo "NVIDIA_DRIVER_CAPABILITIES=compute,utility"; fi
} >"$env_file.tmp"
chmod 600 "$env_file.tmp"
chown root:root "$env_file.tmp"
mv -f "$env_file.tmp" "$env_file"
log "env file $env_file written (mode 600, owner root), $(wc -l <"$env_file") variables, no value from SSM;" \
  "the worker reads ${LONGSHORE_ENV_PARAMETER} itself, which sets: ${ssm_keys:-none}"
if [ "${#overridden[@]}" -gt 0 ]; then
  log "defaults not passed because the .env sets them: ${overridden[*]}"
fi
sdk_only=$(tr , '\n' <<<"$ssm_keys" | grep '^AWS_' | paste -s -d, - || true)
if [ -n "$sdk_only" ]; then
  log "the .env sets $sdk_only: the worker refuses AWS_* variables and will exit 2; store it with scripts/put-env"
fi

# 3. The container. SIGTERM drains for WORKER_DRAIN_TIMEOUT; docker must wait longer than that before SIGKILL,
# and systemd longer than docker when the instance shuts down.
if ! drain_seconds=$(seconds_of "$drain"); then
  log "WORKER_DRAIN_TIMEOUT is not a duration; the worker will refuse it, sizing the stop timeout for 30s"
  drain_seconds=30
fi
stop_timeout=$((drain_seconds + stop_margin))
mkdir -p "$(dirname "$docker_dropin")"
printf '[Service]\nTimeoutStopSec=%s\n' "$((stop_timeout + 30))" >"$docker_dropin"
log "drain ${drain_seconds}s: docker stop timeout ${stop_timeout}s, docker.service TimeoutStopSec $((stop_timeout + 30))s"

if ! command -v docker >/dev/null 2>&1; then
  log "docker is missing; installing it"
  install_package docker
fi
retry "reloading systemd" run_logged systemctl daemon-reload
retry "enabling and starting docker" run_logged systemctl enable --now docker
retry "waiting for the docker daemon" run_logged docker info

registry=${image%%/*}
ecr_login() {
  aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
}
retry "logging in to $registry" run_logged ecr_login
retry "pulling $image" run_logged docker pull "$image"

mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
memory_mib=$((mem_kib / 1024 - memory_reserve_mib))
if [ "$memory_mib" -lt 256 ]; then memory_mib=256; fi
# Hostile input (README "Security"): a message may drive ffmpeg or a task into misbehaving, so the container
# gets no capabilities and no way to gain privileges, a bounded number of processes and threads (java's threads
# count too), and a read-only root file system with two writable places: /tmp (tmpfs) and /work (a volume that
# survives container restarts, so an AI task's STATE_DIR is kept). The image's tini is PID 1 (it reaps zombies
# and passes SIGTERM on), so no --init: two inits would nest.
run_args=(run --detach --name "$container"
  --restart no
  --stop-timeout "$stop_timeout"
  --env-file "$env_file"
  --cpus "$cpus" --memory "${memory_mib}m"
  --pids-limit "$pids_limit"
  --cap-drop ALL
  --security-opt no-new-privileges
  --read-only
  --tmpfs "/tmp:rw,nosuid,nodev,size=${tmp_mib}m"
  --mount "type=volume,source=$container-work,target=/work"
  --publish "127.0.0.1:$health_port:$health_port"
  --log-driver awslogs
  --log-opt "awslogs-region=$region"
  --log-opt "awslogs-group=$LONGSHORE_LOG_GROUP"
  --log-opt "awslogs-stream=$instance_id/worker"
  --log-opt mode=non-blocking --log-opt max-buffer-size=4m)
if [ "$gpu" = true ]; then
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    log "LONGSHORE_GPU=true but nvidia-smi is missing: use a GPU AMI with the NVIDIA driver and container toolkit"
    exit 1
  fi
  run_args+=(--gpus all)
fi
start_container() {
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker "${run_args[@]}" "$image"
}
log "starting $container: $cpus CPUs, ${memory_mib} MiB, restarted by the watchdog, logs to $LONGSHORE_LOG_GROUP"
retry "starting container $container" run_logged start_container
install_watchdog

waited=0
while true; do
  status=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
    "$container" 2>>"$log_file") || status=unknown
  case "$status" in
    healthy) log "container $container is healthy after ${waited}s"; break ;;
    unhealthy | exited | dead)
      log "container $container is $status; its output is in stream $instance_id/worker"
      exit 1 ;;
  esac
  if [ "$waited" -ge "$health_wait" ]; then
    log "container $container is still $status after ${waited}s; its output is in stream $instance_id/worker"
    exit 1
  fi
  sleep 5
  waited=$((waited + 5))
done
