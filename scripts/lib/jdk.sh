#!/usr/bin/env bash
# Finds a JDK 21 or newer and exports JAVA_HOME; sourced by the other scripts.
# Order: JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.

longshore_java_major() {
  # Prints the feature version of the java binary given, e.g. 17 or 25.
  local version
  version=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  case "$version" in
    1.*) echo "${version#1.}" | cut -d. -f1 ;;
    *) echo "${version%%.*}" ;;
  esac
}

longshore_find_jdk() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(longshore_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge "$min" ]; then
      return 0
    fi
    echo "note: JAVA_HOME=$JAVA_HOME is Java $major; looking for Java $min+ elsewhere" >&2
  fi
  for candidate in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    [ -x "${candidate}bin/javac" ] || continue
    major=$(longshore_java_major "${candidate}bin/java")
    if [ "${major:-0}" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best="${candidate%/}"
      best_major=$major
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(longshore_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge "$min" ]; then
      best=$candidate
    fi
  fi
  if [ -z "$best" ]; then
    echo "error: Longshore needs a JDK $min or newer and none was found." >&2
    echo "  Looked at JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*, /opt/java/* and javac on PATH." >&2
    echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
