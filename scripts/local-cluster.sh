#!/usr/bin/env bash
# The docker compose topology without Docker: Redis (AOF, noeviction), two Coedit instances from the built jar, and
# nginx running the same deploy/nginx.conf the compose file mounts. Needs redis-server and nginx on the PATH
# (Debian: apt-get install redis-server nginx) and the jar (./mvnw -q package -DskipTests).
#
#   scripts/local-cluster.sh start|stop|status
#
# Environment (defaults in brackets):
#   COEDIT_LB_PORT [8080]                 where nginx listens
#   COEDIT_PORT_1, COEDIT_PORT_2 [8081, 8082]   the instances
#   COEDIT_WS_PORT_1, COEDIT_WS_PORT_2 [8091, 8092]   their document endpoint on the event loop (nginx's /ws/)
#   COEDIT_REDIS_PORT [6380]              Redis (a port of its own, not the system Redis's 6379)
#   COEDIT_UPSTREAM_1, COEDIT_UPSTREAM_2  [127.0.0.1:$COEDIT_PORT_1, ...]   what nginx proxies to
#   COEDIT_WS_UPSTREAM_1, COEDIT_WS_UPSTREAM_2  [127.0.0.1:$COEDIT_WS_PORT_1, ...]   where nginx sends /ws/
#   COEDIT_RUN_DIR [.local-cluster]        pid files, logs, Redis's AOF, the rendered nginx.conf
#   COEDIT_JAR [target/coedit-*.jar]
#   COEDIT_SECURITY_JWT_SECRET            the shared signing key; unset: generated once into $COEDIT_RUN_DIR/secret
#   any other COEDIT_* / SPRING_* variable reaches both instances
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin" # nginx lives in /usr/sbin on Debian

LB_PORT="${COEDIT_LB_PORT:-8080}"
PORT_1="${COEDIT_PORT_1:-8081}"
PORT_2="${COEDIT_PORT_2:-8082}"
WS_PORT_1="${COEDIT_WS_PORT_1:-8091}"
WS_PORT_2="${COEDIT_WS_PORT_2:-8092}"
REDIS_PORT="${COEDIT_REDIS_PORT:-6380}"
RUN="$(mkdir -p "${COEDIT_RUN_DIR:-.local-cluster}" && cd "${COEDIT_RUN_DIR:-.local-cluster}" && pwd)"
export COEDIT_UPSTREAM_1="${COEDIT_UPSTREAM_1:-127.0.0.1:$PORT_1}"
export COEDIT_UPSTREAM_2="${COEDIT_UPSTREAM_2:-127.0.0.1:$PORT_2}"
export COEDIT_WS_UPSTREAM_1="${COEDIT_WS_UPSTREAM_1:-127.0.0.1:$WS_PORT_1}"
export COEDIT_WS_UPSTREAM_2="${COEDIT_WS_UPSTREAM_2:-127.0.0.1:$WS_PORT_2}"
export COEDIT_LB_PORT="$LB_PORT"
export COEDIT_NGINX_TEMP="$RUN/nginx-temp"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$1/actuator/health/readiness" 2>/dev/null; }

start() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }
  command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
  local jar="${COEDIT_JAR:-$(ls target/coedit-*.jar 2>/dev/null | grep -v plain | head -1)}"
  [ -f "$jar" ] || { echo "no jar: run ./mvnw -q package -DskipTests first (or set COEDIT_JAR)" >&2; exit 1; }
  if [ -z "${COEDIT_SECURITY_JWT_SECRET:-}" ]; then
    [ -f "$RUN/secret" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > "$RUN/secret")
    COEDIT_SECURITY_JWT_SECRET="$(cat "$RUN/secret")"
  fi
  export COEDIT_SECURITY_JWT_SECRET

  # every session through nginx holds two of its open files: lift the soft limit to the hard one, as the JVM does for
  # itself (a shell or a container may start at 1024, about 500 sessions a worker)
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

  mkdir -p "$RUN/redis" "$COEDIT_NGINX_TEMP"
  if ! alive "$RUN/redis.pid"; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN/redis" --appendonly yes --appendfsync everysec \
      --maxmemory "${COEDIT_REDIS_MAXMEMORY:-1gb}" --maxmemory-policy noeviction --save "" \
      --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
  fi

  local i port ws_port
  for i in 1 2; do
    port="$PORT_1"; ws_port="$WS_PORT_1"; [ "$i" = 2 ] && port="$PORT_2" && ws_port="$WS_PORT_2"
    alive "$RUN/coedit-$i.pid" && continue
    COEDIT_CLUSTER_MODE=redis SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT="$REDIS_PORT" \
      COEDIT_CLUSTER_INSTANCE_ID="${COEDIT_CLUSTER_INSTANCE_ID_PREFIX:-local}-$i" \
      COEDIT_WS_EVENTLOOP_ENABLED=true COEDIT_WS_EVENTLOOP_PORT="$ws_port" \
      nohup java ${COEDIT_JAVA_OPTS:--Xmx1g -XX:MaxGCPauseMillis=20} -jar "$jar" --server.port="$port" \
      >> "$RUN/coedit-$i.log" 2>&1 &
    echo $! > "$RUN/coedit-$i.pid"
  done
  local up
  for port in "$PORT_1" "$PORT_2"; do
    up=""
    for _ in $(seq 1 180); do if ready "$port"; then up=1; break; fi; sleep 0.5; done
    [ -n "$up" ] || { echo "instance on port $port did not become ready; see $RUN/coedit-*.log" >&2; exit 1; }
  done

  # the same template as docker compose, filled in from the same variables
  envsubst '${COEDIT_UPSTREAM_1} ${COEDIT_UPSTREAM_2} ${COEDIT_WS_UPSTREAM_1} ${COEDIT_WS_UPSTREAM_2} ${COEDIT_LB_PORT} ${COEDIT_NGINX_TEMP}' \
    < deploy/nginx.conf > "$RUN/nginx.conf"
  if ! alive "$RUN/nginx.pid"; then
    nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" -g "pid $RUN/nginx.pid;"
  fi
  for _ in $(seq 1 40); do curl -fsS -o /dev/null "http://127.0.0.1:$LB_PORT/actuator/health" 2>/dev/null && break; sleep 0.25; done
  status
}

stop() {
  alive "$RUN/nginx.pid" && nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/nginx-error.log" -g "pid $RUN/nginx.pid;" -s quit || true
  local i pid
  for i in 1 2; do
    if alive "$RUN/coedit-$i.pid"; then
      pid="$(cat "$RUN/coedit-$i.pid")"
      kill -TERM "$pid" # drains: readiness down, new sessions refused, sessions closed 1001
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$RUN/coedit-$i.pid"
  done
  alive "$RUN/redis.pid" && redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  rm -f "$RUN/redis.pid"
  echo "stopped"
}

status() {
  local code=0 i port
  if alive "$RUN/redis.pid"; then echo "redis     up    127.0.0.1:$REDIS_PORT"; else echo "redis     down"; code=1; fi
  for i in 1 2; do
    port="$PORT_1"; [ "$i" = 2 ] && port="$PORT_2"
    if alive "$RUN/coedit-$i.pid" && ready "$port"; then
      echo "coedit-$i  ready 127.0.0.1:$port (document endpoint 127.0.0.1:$([ "$i" = 2 ] && echo "$WS_PORT_2" || echo "$WS_PORT_1"))"
    elif alive "$RUN/coedit-$i.pid"; then echo "coedit-$i  up, not ready 127.0.0.1:$port"; code=1
    else echo "coedit-$i  down"; code=1; fi
  done
  if alive "$RUN/nginx.pid"; then echo "nginx     up    http://127.0.0.1:$LB_PORT"; else echo "nginx     down"; code=1; fi
  return $code
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
