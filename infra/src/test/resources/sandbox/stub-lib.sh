#!/usr/bin/env bash
# Shared by the stand-in commands of the user-data sandbox (UserDataScriptTest). SANDBOX is the test's
# directory: calls/<tool>.log gets one line per call, counters/ remembers how often a step failed.

# record TOOL ARGS...: appends the call to calls/TOOL.log.
record() {
  local tool=$1
  shift
  mkdir -p "$SANDBOX/calls"
  printf '%s\n' "$*" >>"$SANDBOX/calls/$tool.log"
}

# fail_first KEY MESSAGE: fails (exit 1, MESSAGE on stderr) while fewer than $FAIL_<KEY> calls have failed.
fail_first() {
  local key=$1 message=$2 limit_var count_file count
  limit_var="FAIL_${key}"
  count_file="$SANDBOX/counters/$key"
  mkdir -p "$SANDBOX/counters"
  count=$(cat "$count_file" 2>/dev/null || echo 0)
  if [ "$count" -lt "${!limit_var:-0}" ]; then
    echo $((count + 1)) >"$count_file"
    echo "$message" >&2
    exit 1
  fi
}

# arg OPTION ARGS...: prints the value that follows OPTION in ARGS (empty when absent).
arg() {
  local option=$1
  shift
  while [ $# -gt 0 ]; do
    if [ "$1" = "$option" ]; then
      printf '%s' "${2:-}"
      return 0
    fi
    shift
  done
}
