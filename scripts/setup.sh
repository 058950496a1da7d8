#!/usr/bin/env bash
# faultline setup: idempotent, and fast (well under a second) when everything is already present.
# Installs what faultline needs on a Debian machine: npm packages, then builds the TypeScript.
# Later capabilities (database servers, Chromium) add their steps here, each guarded by a check.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'faultline setup: %s\n' "$*" >&2; }

# Node >= 20.5 (commander 14, execa 9 and vitest 4 support 20, 22 and 24).
if ! command -v node >/dev/null 2>&1; then
  say "Node.js is not installed. Install Node 20.5 or newer (22 or 24 recommended), e.g. from https://nodejs.org or your distribution, then rerun."
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=5)?0:1)' || {
  say "Node $(node -v) is too old: faultline needs Node 20.5 or newer (22 or 24 recommended)."
  exit 1
}

# --- runtime local: iproute2, iptables, libfaketime ---
# The local runtime puts nodes in network namespaces (ip), cuts links with iptables, and skews clocks
# with libfaketime. Install only what is missing, so this costs a few `command -v` checks when present.
if [ "$(uname -s)" = Linux ]; then
  missing=()
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v iptables >/dev/null 2>&1 || [ -x /usr/sbin/iptables ] || missing+=(iptables)
  # setpriv runs a node's services as their own user (e.g. postgres); util-linux is essential on Debian.
  command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
  [ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || [ -n "$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null)" ] || missing+=(faketime)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "the local runtime needs ${missing[*]} (Debian package names); install them as root, or use the docker runtime."
    else
      say "installing ${missing[*]} for the local runtime (apt-get)..."
      # apt-get update only when the plain install fails (stale or empty package lists): keeps the usual path fast.
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
    fi
  fi
fi
# --- end runtime local ---

# --- database postgres: Debian's postgresql (15) server binaries ---
# faultline runs its own clusters from /usr/lib/postgresql/*/bin (initdb, postgres, pg_basebackup as the
# postgres user). If the package auto-starts Debian's own cluster on 127.0.0.1:5432 we leave it alone:
# our nodes listen on their namespace addresses and never use it.
if [ "$(uname -s)" = Linux ] && [ -z "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null)" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "the postgres adapter needs the postgresql package (Debian); install it as root, or use the docker runtime."
  else
    say "installing postgresql for the postgres adapter (apt-get)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2; }
  fi
fi
# --- end database postgres ---

# --- database mysql: Debian's mariadb-server (MariaDB 10.11; Debian has no MySQL server package) ---
# faultline runs its own mariadbd per node (mariadb-install-db into a template, one foreground server per
# namespace, as the mysql user, --no-defaults). Debian's own service is never started or used: when no
# policy-rc.d exists we add one for the install only (exit 101: "do not start services"), then remove it.
if [ "$(uname -s)" = Linux ] && ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1 \
   && [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "the mysql adapter needs mariadb-server (Debian) or a MySQL 8 server; install it as root, or use the docker runtime."
  else
    say "installing mariadb-server for the mysql adapter (apt-get; Debian's own service is not started)..."
    added_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\n# faultline setup: no service starts while mariadb-server installs\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 0755 /usr/sbin/policy-rc.d
      added_policy=1
    fi
    rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server >&2 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server >&2; } || rc=$?
    [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
    [ "$rc" = 0 ] || exit "$rc"
  fi
fi
# --- end database mysql ---

# --- database redis: Debian's redis-server and redis-sentinel (7.0) ---
# faultline runs its own redis-server and redis-sentinel processes in the foreground in each node's
# namespace, as the redis user. The packages enable Debian's own services on 127.0.0.1:6379/26379; we
# leave them alone (our nodes listen on their namespace addresses and never use them).
if [ "$(uname -s)" = Linux ]; then
  missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "the redis adapter needs ${missing[*]} (Debian packages); install them as root, or use the docker runtime."
    else
      say "installing ${missing[*]} for the redis adapter (apt-get)..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
    fi
  fi
fi
# --- end database redis ---

# --- database cassandra: Apache Cassandra 5.0.9 jars from Maven Central, Java 17, a cassandra user ---
# No Debian package: cassandra-all and its runtime dependencies are fetched once with mvn into a cache dir
# (world-readable, since the nodes run as the cassandra user), then the JVM is started directly.
# The check is one file test, so this costs nothing when the jars are present.
CASSANDRA_VERSION=5.0.9
if [ "$(uname -s)" = Linux ]; then
  if [ -n "${FAULTLINE_CASSANDRA_HOME:-}" ]; then chome="$FAULTLINE_CASSANDRA_HOME"
  elif [ "$(id -u)" = 0 ]; then chome="/var/cache/faultline/cassandra-$CASSANDRA_VERSION"
  else chome="$HOME/.cache/faultline/cassandra-$CASSANDRA_VERSION"; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    cmissing=()
    [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] || [ -x /usr/lib/jvm/java-17-openjdk-arm64/bin/java ] || cmissing+=(openjdk-17-jre-headless)
    command -v mvn >/dev/null 2>&1 || [ -f "$chome/lib/cassandra-all-$CASSANDRA_VERSION.jar" ] || cmissing+=(maven)
    if [ ${#cmissing[@]} -gt 0 ]; then
      say "installing ${cmissing[*]} for the cassandra adapter (apt-get)..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${cmissing[@]}" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${cmissing[@]}" >&2; }
    fi
    getent passwd cassandra >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cassandra
  fi
  if [ ! -f "$chome/lib/cassandra-all-$CASSANDRA_VERSION.jar" ]; then
    if ! command -v mvn >/dev/null 2>&1; then
      say "the cassandra adapter needs maven (mvn) once, to fetch cassandra-all $CASSANDRA_VERSION; install it, or skip cassandra."
    else
      say "fetching cassandra-all $CASSANDRA_VERSION and its dependencies from Maven Central into $chome/lib (once, ~10 s)..."
      ctmp="$(mktemp -d)"
      cat > "$ctmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>faultline</groupId><artifactId>cassandra-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>$CASSANDRA_VERSION</version></dependency>
  </dependencies>
</project>
POM
      mvn -B -q -f "$ctmp/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$ctmp/lib" >&2
      mkdir -p "$chome"
      rm -rf "$chome/lib" && mv "$ctmp/lib" "$chome/lib"
      chmod -R a+rX "$chome"
      rm -rf "$ctmp"
    fi
  fi
fi
# --- end database cassandra ---

# --- report: canvas build headers (chartjs-node-canvas) and Debian's chromium (browser tests, bench) ---
# canvas's prebuilt download fails on these machines, so npm compiles it with node-gyp: it needs the
# cairo/pango/jpeg/gif/rsvg headers. Chromium drives the report's browser tests through playwright-core.
# Checks are dpkg status lookups and one file test, so this is fast when everything is present.
if [ "$(uname -s)" = Linux ] && command -v dpkg-query >/dev/null 2>&1; then
  rmissing=()
  for p in libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || rmissing+=("$p")
  done
  [ -x /usr/bin/chromium ] || rmissing+=(chromium)
  if [ ${#rmissing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "the report needs ${rmissing[*]} (Debian packages: canvas headers, chromium for browser tests); install them as root."
    else
      say "installing ${rmissing[*]} for the report (apt-get)..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${rmissing[@]}" >&2 \
        || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${rmissing[@]}" >&2; }
    fi
  fi
fi
# --- end report ---

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch node_modules/.package-lock.json
fi

# Build: when dist is missing or any source is newer than the last build.
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src bench tsconfig.json package.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  say "building (tsc)..."
  rm -rf dist
  npx --no-install tsc -p tsconfig.json
  touch "$stamp"
fi
