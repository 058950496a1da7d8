#!/usr/bin/env bash
# faultline setup: installs what faultline needs, one component at a time, and only what is asked.
#
#   scripts/setup.sh [COMPONENT...]      no argument means `all` (what `npm test` and `npm run setup` need)
#
#   base       npm packages and the TypeScript build of this clone (what every command needs to exist at all)
#   local      the local runtime: iproute2, iptables, util-linux (setpriv), libfaketime
#   docker     the docker runtime: a Docker engine that answers (Debian's docker.io, dockerd started when
#              none answers, its log in /var/log/faultline-dockerd.log) and debootstrap for the images
#   postgres   Debian's postgresql server
#   mysql      Debian's mariadb-server (its own service is never started)
#   redis      Debian's redis-server and redis-sentinel
#   etcd       Debian's etcd-server (its own service is never started), for examples/adapters/etcd
#   cassandra  Java 17, a cassandra user, and cassandra-all's jars fetched once from Maven Central with mvn
#   report     the cairo/pango headers the canvas npm package compiles against (PNG charts in reports)
#   chromium   Debian's chromium (the report's browser tests and the bench)
#   images     the docker runtime's images, built locally (faultline images build; needs docker, base,
#              and cassandra's jars): minutes the first time, a no-op when they exist
#   all        every component above
#
# Idempotent, and fast (well under a second) when everything is present: each step is a few file tests.
# System packages are installed only as root (apt-get). Another user gets one sentence per missing piece
# saying what to install, and exit status 3; nothing is left half-done or behind (temp dirs are trapped).
# FAULTLINE_SETUP_DRY_RUN=1 prints the components and what would be installed, and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'faultline setup: %s\n' "$*" >&2; }
dry=${FAULTLINE_SETUP_DRY_RUN:-}
[ "$dry" = 0 ] && dry=

ORDER=(local docker postgres mysql redis etcd cassandra report chromium base images)
want=()
for arg in "${@:-all}"; do
  case "$arg" in
    all) want+=("${ORDER[@]}") ;;
    base|local|docker|postgres|mysql|redis|etcd|cassandra|report|chromium|images) want+=("$arg") ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
    *) say "unknown component '$arg'; components: ${ORDER[*]} all"; exit 64 ;;
  esac
done
wants() { local w; for w in "${want[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }
# System packages go first (canvas compiles against the report's headers during npm ci), then base, then
# the images (built by the CLI that base builds).
components=()
for c in "${ORDER[@]}"; do wants "$c" && components+=("$c"); done
[ -n "$dry" ] && say "dry run, components: ${components[*]}"

# Node >= 20.5 (commander 14, execa 9 and vitest 4 support 20, 22 and 24).
if ! command -v node >/dev/null 2>&1; then
  say "Node.js is not installed. Install Node 20.5 or newer (22 or 24 recommended), e.g. from https://nodejs.org or your distribution, then rerun."
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=5)?0:1)' || {
  say "Node $(node -v) is too old: faultline needs Node 20.5 or newer (22 or 24 recommended)."
  exit 1
}

# A clone has package-lock.json and src/; an installed package (npm i faultline) has neither: npm did its part.
clone=; [ -f package-lock.json ] && [ -d src ] && clone=1
# node-gyp (canvas) needs Node's headers: use the ones installed beside node instead of downloading them.
nodeprefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$nodeprefix/include/node/node.h" ]; then export npm_config_nodedir="$nodeprefix"; fi
npm_ci() {
  if [ -L node_modules ]; then
    say "node_modules is a link to another checkout's packages: not reinstalling them here; run npm ci where they live"
  elif [ -n "$dry" ]; then say "would run npm ci"
  else
    say "$1..."
    npm ci --no-audit --no-fund --loglevel=error >&2
    touch node_modules/.package-lock.json
  fi
}

root=; [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && root=1
linux=; [ "$(uname -s)" = Linux ] && linux=1
unmet=()

# apt_install WHAT PKG...: installs Debian packages as root; otherwise records what the user must install.
# apt-get update only when the plain install fails (stale or empty package lists): keeps the usual path fast.
apt_install() {
  local what=$1; shift
  if [ -n "$dry" ]; then say "would install $* for $what (apt-get)"; return 0; fi
  if [ -z "$root" ]; then
    unmet+=("$what needs $* (Debian packages): as root, run apt-get install $*")
    return 0
  fi
  say "installing $* for $what (apt-get)..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2; }
}
dpkg_has() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# --- local: iproute2, iptables, util-linux, libfaketime ---
# The local runtime puts nodes in network namespaces (ip), cuts links with iptables, runs services as their
# own user with setpriv, and skews clocks with libfaketime.
if wants local && [ -n "$linux" ]; then
  missing=()
  command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || missing+=(iproute2)
  command -v iptables >/dev/null 2>&1 || [ -x /usr/sbin/iptables ] || missing+=(iptables)
  command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
  [ -n "$(ls /usr/lib/faketime/libfaketime.so.1 /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null)" ] || missing+=(faketime)
  [ ${#missing[@]} -eq 0 ] || apt_install "the local runtime" "${missing[@]}"
fi

# --- docker: a Docker engine that answers, and debootstrap ---
# The docker runtime runs each node in a container of a locally built image (there may be no registry):
# Debian's docker.io (engine and CLI), and debootstrap for the images' base. When no engine answers on
# the default socket, one is started: systemd's docker service where systemd runs, else dockerd in the
# background (its log in /var/log/faultline-dockerd.log). An engine elsewhere (DOCKER_HOST) is only checked.
engine_answers() {
  if [ -z "${DOCKER_HOST:-}" ] && command -v curl >/dev/null 2>&1; then
    [ -S /var/run/docker.sock ] && curl -fsS --max-time 3 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1
  elif command -v docker >/dev/null 2>&1; then
    timeout 5 docker info >/dev/null 2>&1
  else
    [ -S /var/run/docker.sock ]
  fi
}
if wants docker && [ -n "$linux" ]; then
  missing=()
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || [ -x /usr/bin/dockerd ] || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] || apt_install "the docker runtime" "${missing[@]}"
  if ! engine_answers; then
    if [ -n "$dry" ]; then say "would start a Docker engine (dockerd)"
    elif [ -n "${DOCKER_HOST:-}" ]; then
      unmet+=("the docker runtime: no Docker engine answers at DOCKER_HOST=$DOCKER_HOST; start it, or unset DOCKER_HOST for the local one")
    elif [ -z "$root" ]; then
      unmet+=("the docker runtime needs a Docker engine and none answers at /var/run/docker.sock: as root, run dockerd (or systemctl start docker)")
    elif ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ] && [ ! -x /usr/bin/dockerd ]; then
      unmet+=("the docker runtime: dockerd is not installed (apt-get install docker.io failed above)")
    else
      if [ -d /run/systemd/system ] && systemctl cat docker.service >/dev/null 2>&1; then
        say "starting the Docker engine (systemctl start docker)..."
        systemctl start docker >&2 || true
      else
        say "starting the Docker engine (dockerd in the background, log in /var/log/faultline-dockerd.log)..."
        dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)
        # Its own session: it outlives this script, and a ^C here does not reach it.
        setsid "$dockerd_bin" >>/var/log/faultline-dockerd.log 2>&1 </dev/null &
      fi
      for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
      engine_answers || unmet+=("the docker runtime: the Docker engine started but did not answer within 30 s (see /var/log/faultline-dockerd.log)")
    fi
  fi
fi

# --- postgres: Debian's postgresql (15) server binaries ---
# faultline runs its own clusters from /usr/lib/postgresql/*/bin (initdb, postgres, pg_basebackup as the
# postgres user). If the package auto-starts Debian's own cluster on 127.0.0.1:5432 we leave it alone:
# our nodes listen on their namespace addresses and never use it.
if wants postgres && [ -n "$linux" ] && [ -z "$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null)" ]; then
  apt_install "the postgres adapter" postgresql
fi

# --- mysql: Debian's mariadb-server (MariaDB 10.11; Debian has no MySQL server package) ---
# faultline runs its own mariadbd per node (mariadb-install-db into a template, one foreground server per
# namespace, as the mysql user, --no-defaults). Debian's own service is never started or used: when no
# policy-rc.d exists we add one for the install only (exit 101: "do not start services"), then remove it.
if wants mysql && [ -n "$linux" ] && ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1 \
   && [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
  if [ -n "$root" ] && [ -z "$dry" ]; then
    added_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      printf '#!/bin/sh\n# faultline setup: no service starts while mariadb-server installs\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 0755 /usr/sbin/policy-rc.d
      added_policy=1
    fi
    apt_install "the mysql adapter (Debian's own service is not started)" mariadb-server
    [ -n "$added_policy" ] && { rm -f /usr/sbin/policy-rc.d; trap - EXIT; }
  else
    apt_install "the mysql adapter" mariadb-server
  fi
fi

# --- redis: Debian's redis-server and redis-sentinel (7.0) ---
# faultline runs its own redis-server and redis-sentinel processes in the foreground in each node's
# namespace, as the redis user. The packages enable Debian's own services on 127.0.0.1:6379/26379; we
# leave them alone (our nodes listen on their namespace addresses and never use them).
if wants redis && [ -n "$linux" ]; then
  missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
  [ ${#missing[@]} -eq 0 ] || apt_install "the redis adapter" "${missing[@]}"
fi

# --- etcd: Debian's etcd-server (3.4), for the example adapter examples/adapters/etcd ---
# faultline runs its own etcd members in the foreground (one per node, as the etcd user the package creates).
# The package enables and starts Debian's own service on 127.0.0.1:2379: as for mysql, when no policy-rc.d
# exists we add one for the install only (exit 101: "do not start services"), then remove it.
if wants etcd && [ -n "$linux" ] && ! command -v etcd >/dev/null 2>&1 && [ ! -x /usr/bin/etcd ]; then
  if [ -n "$root" ] && [ -z "$dry" ]; then
    added_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      printf '#!/bin/sh\n# faultline setup: no service starts while etcd-server installs\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 0755 /usr/sbin/policy-rc.d
      added_policy=1
    fi
    apt_install "the etcd example adapter (Debian's own service is not started)" etcd-server
    [ -n "$added_policy" ] && { rm -f /usr/sbin/policy-rc.d; trap - EXIT; }
  else
    apt_install "the etcd example adapter" etcd-server
  fi
fi

# --- cassandra: Apache Cassandra 5.0.9 jars from Maven Central, Java 17, a cassandra user ---
# No Debian package: cassandra-all and its runtime dependencies are fetched once with mvn into a cache dir
# (world-readable, since the nodes run as the cassandra user), then the JVM is started directly.
# The check is one file test, so this costs nothing when the jars are present.
CASSANDRA_VERSION=5.0.9
if wants cassandra && [ -n "$linux" ]; then
  if [ -n "${FAULTLINE_CASSANDRA_HOME:-}" ]; then chome="$FAULTLINE_CASSANDRA_HOME"
  elif [ "$(id -u)" = 0 ]; then chome="/var/cache/faultline/cassandra-$CASSANDRA_VERSION"
  else chome="$HOME/.cache/faultline/cassandra-$CASSANDRA_VERSION"; fi
  jar="$chome/lib/cassandra-all-$CASSANDRA_VERSION.jar"
  cmissing=()
  [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] || [ -x /usr/lib/jvm/java-17-openjdk-arm64/bin/java ] || cmissing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || [ -f "$jar" ] || cmissing+=(maven)
  [ ${#cmissing[@]} -eq 0 ] || apt_install "the cassandra adapter" "${cmissing[@]}"
  if ! getent passwd cassandra >/dev/null 2>&1; then
    if [ -n "$dry" ]; then say "would create the system user cassandra"
    elif [ -n "$root" ]; then useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cassandra
    else unmet+=("the cassandra adapter runs its nodes as the system user cassandra: as root, run useradd --system --user-group --no-create-home cassandra"); fi
  fi
  if [ ! -f "$jar" ]; then
    if [ -n "$dry" ]; then say "would fetch cassandra-all $CASSANDRA_VERSION with mvn into $chome/lib"
    elif ! command -v mvn >/dev/null 2>&1; then
      [ -n "$root" ] || true # already recorded as unmet above (maven)
    else
      say "fetching cassandra-all $CASSANDRA_VERSION and its dependencies from Maven Central into $chome/lib (once, ~10 s)..."
      ctmp="$(mktemp -d)"
      # Removed on every path: success, mvn failing, or this script being interrupted.
      trap 'rm -rf "$ctmp"' EXIT
      trap 'exit 130' INT TERM
      cat > "$ctmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>faultline</groupId><artifactId>cassandra-fetch</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>$CASSANDRA_VERSION</version></dependency>
  </dependencies>
</project>
POM
      if mvn -B -q -f "$ctmp/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$ctmp/lib" >&2; then
        mkdir -p "$chome"
        rm -rf "$chome/lib" && mv "$ctmp/lib" "$chome/lib"
        chmod -R a+rX "$chome"
      else
        unmet+=("the cassandra adapter: mvn could not fetch cassandra-all $CASSANDRA_VERSION from Maven Central (see above)")
      fi
      rm -rf "$ctmp"; trap - EXIT INT TERM
    fi
  fi
fi

# --- report: the headers canvas (chartjs-node-canvas, PNG charts) compiles against ---
# canvas's prebuilt download fails on these machines, so npm compiles it with node-gyp: it needs the
# cairo/pango/jpeg/gif/rsvg headers. canvas is optional: without it reports skip the PNG charts.
canvas_loads() { [ -d node_modules ] && node -e 'require("canvas")' >/dev/null 2>&1; }
if wants report && [ -n "$linux" ] && command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev; do dpkg_has "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] || apt_install "the report's PNG charts (canvas)" "${missing[@]}"
  # The headers arrived after canvas failed to build (npm drops a failed optional package): build it now.
  if [ ${#unmet[@]} -eq 0 ] && [ -f node_modules/.package-lock.json ] && ! canvas_loads; then
    if [ -n "$clone" ]; then npm_ci "reinstalling npm packages so canvas builds against the headers (npm ci)"
    else say "canvas is not built: run npm rebuild canvas in the project that installed faultline"; fi
  fi
fi

# --- chromium: Debian's chromium, which the report's browser tests and the bench drive (playwright-core) ---
if wants chromium && [ -n "$linux" ] && [ ! -x /usr/bin/chromium ]; then
  apt_install "the report's browser tests" chromium
fi

# --- base: npm packages and the build ---
if wants base && [ -n "$clone" ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm_ci "installing npm packages (npm ci, once)"
    [ -n "$dry" ] || [ -L node_modules ] || canvas_loads \
      || say "canvas did not build (no cairo/pango headers?): reports will have no PNG charts; \`faultline setup --report\` as root adds them"
  fi
  # Build: when dist is missing or any source is newer than the last build.
  stamp=dist/.build-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find src bench tsconfig.json package.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    if [ -n "$dry" ]; then say "would build (tsc)"
    else
      say "building (tsc, once)..."
      rm -rf dist
      npx --no-install tsc -p tsconfig.json
      touch "$stamp"
    fi
  fi
fi

# --- images: the docker runtime's images, built locally by the CLI (faultline images build) ---
# The check is one `docker image inspect` of every image (the CLI is not even started when they exist).
IMAGES=(base postgres mysql redis cassandra etcd)
if wants images && [ -n "$linux" ]; then
  refs=(); for i in "${IMAGES[@]}"; do refs+=("faultline/$i:bookworm"); done
  if command -v docker >/dev/null 2>&1 && timeout 10 docker image inspect "${refs[@]}" >/dev/null 2>&1; then :
  elif [ -n "$dry" ]; then say "would build the docker runtime's images (faultline images build)"
  elif ! engine_answers; then
    unmet+=("the docker runtime's images need a Docker engine and none answers: scripts/setup.sh docker starts one (as root)")
  elif [ ! -f dist/src/cli/main.js ]; then
    unmet+=("the docker runtime's images are built by faultline's CLI, which is not built: scripts/setup.sh base builds it")
  elif [ -z "$root" ]; then
    unmet+=("the docker runtime's images are missing and building them needs root (debootstrap): as root, run faultline images build")
  else
    node dist/src/cli/main.js images build >&2 || { say "building the docker runtime's images failed (see above)"; exit 70; }
  fi
fi

if [ ${#unmet[@]} -gt 0 ]; then
  for u in "${unmet[@]}"; do say "$u"; done
  say "not everything asked for is installed: run this as root (scripts/setup.sh ${components[*]}), or install the packages above"
  exit 3
fi
