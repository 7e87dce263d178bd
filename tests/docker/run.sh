#!/usr/bin/env bash
# Tests the container image and the compose environment for real:
#   1. builds docker/Dockerfile and docker/example-client, checks the image (size, user, health check);
#   2. runs dtsmock with a published loopback port and a named volume, measures run -> healthy;
#   3. calls the API through the published port (an unsigned TC3-style JSON POST; auth is off);
#   4. stops it with SIGTERM and checks that it exited 0, quickly;
#   5. starts a new container on the same volume and finds the job again;
#   6. runs docker/docker-compose.yml until the example client exits: wants exit code 0 and the fixtures loaded.
# Every container, volume and compose project it creates is removed on exit (the images stay, as
# a build cache for the next run).
#
# The engine: $DOCKER and $COMPOSE when the caller set them and the engine answers; else a real
# `docker` when one answers; else ../shared/tools/container-env (podman on machines without Docker).
#
#   tests/docker/run.sh            JOBS=N sets the image build's parallelism (default 2)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

log() { printf '== docker: %s\n' "$*"; }
ms_now() { date +%s%3N; }
WORK=
fail() {
  printf 'FAIL docker: %s\n' "$*" >&2
  [ -z "$WORK" ] || printf '(logs kept in %s)\n' "$WORK" >&2
  KEEP_WORK=1
  exit 1
}

# ---------------------------------------------------------------- the engine
engine_answers() { $DOCKER info >/dev/null 2>&1; }
if [ -n "${DOCKER:-}" ] && [ -n "${COMPOSE:-}" ] && engine_answers; then
  log "using DOCKER=$DOCKER COMPOSE=$COMPOSE from the environment"
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  DOCKER=docker
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=docker-compose
  else fail "docker answers, but neither 'docker compose' nor 'docker-compose' is installed"; fi
  log "using the Docker engine"
else
  ENVTOOL="$(dirname "$ROOT")/shared/tools/container-env"
  if [ ! -x "$ENVTOOL" ]; then
    fail "no Docker engine answers here, and the fallback $ENVTOOL (which sets up podman) is missing.
Install Docker (with the compose plugin), or set DOCKER and COMPOSE to a working engine and compose command."
  fi
  log "no Docker engine answers: setting up podman with $ENVTOOL"
  eval "$("$ENVTOOL")"
fi
IS_PODMAN=0
$DOCKER --version 2>/dev/null | grep -qi podman && IS_PODMAN=1

# ---------------------------------------------------------------- names and cleanup
TAG=${DTSMOCK_TEST_TAG:-test}
IMAGE=dtsmock:$TAG
CLIENT_IMAGE=dtsmock-example-client:$TAG
RUN_ID=dtsmock-test-$$
C1=$RUN_ID-a
C2=$RUN_ID-b
VOL=$RUN_ID-data
PROJECT=${RUN_ID//-/}
COMPOSE_FILE=docker/docker-compose.yml
KEEP_WORK=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dtsmock-docker-test.XXXXXX")

cleanup() {
  local rc=$?
  set +e
  $DOCKER rm -f "$C1" "$C2" >/dev/null 2>&1
  $DOCKER volume rm -f "$VOL" >/dev/null 2>&1
  if [ -n "${COMPOSE_STARTED:-}" ]; then
    # shellcheck disable=SC2086
    $COMPOSE -p "$PROJECT" -f "$COMPOSE_FILE" down -v >"$WORK/compose-down.log" 2>&1 ||
      echo "docker: compose down failed, see $WORK/compose-down.log" >&2
    # podman-compose 1.0.3 leaves the project's network behind (docker compose removes it itself).
    $DOCKER network rm "${PROJECT}_default" >/dev/null 2>&1
  fi
  [ "$rc" -ne 0 ] && KEEP_WORK=1
  [ "$KEEP_WORK" = 1 ] || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_tail() { echo "--- last lines of $1:" >&2; tail -n "${2:-40}" "$1" >&2; }

# ---------------------------------------------------------------- helpers
host_port() { # container [container port, default 8080] -> the loopback port published for it
  $DOCKER port "$1" "${2:-8080}" | head -n 1 | sed 's/.*://'
}

is_healthy() {
  if [ "$IS_PODMAN" = 1 ]; then
    # podman runs no HEALTHCHECK by itself without systemd: run the image's check once.
    $DOCKER healthcheck run "$1" >/dev/null 2>&1
  else
    [ "$($DOCKER inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null)" = healthy ]
  fi
}

wait_healthy() { # container; fails after 30 s or when the container stops
  local deadline=$(( $(ms_now) + 30000 ))
  until is_healthy "$1"; do
    if [ "$($DOCKER inspect -f '{{.State.Running}}' "$1")" != true ]; then
      $DOCKER logs "$1" >"$WORK/$1.log" 2>&1 || true
      show_tail "$WORK/$1.log"
      fail "container $1 stopped before it was healthy"
    fi
    [ "$(ms_now)" -lt "$deadline" ] || fail "container $1 not healthy after 30 s"
    sleep 0.05
  done
}

api() { # port action json -> the response body on stdout
  curl -sS --max-time 10 -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/json; charset=utf-8' \
    -H "X-TC-Action: $2" -H 'X-TC-Version: 2021-12-06' -H 'X-TC-Region: ap-guangzhou' \
    -H "X-TC-Timestamp: $(date +%s)" -d "$3"
}

free_port() { # a loopback port that no socket uses, outside the kernel's ephemeral range
  # A port inside the ephemeral range can be the local end of some client connection (or of one in
  # TIME_WAIT) by the time the engine binds it, and the bind then fails with "address already in use";
  # so pick below that range, and skip any port that a socket of any state has as its local port.
  local p lo
  lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$lo" -gt 12000 ] 2>/dev/null || lo=32768
  for _ in $(seq 1 50); do
    p=$(( 10000 + RANDOM % (lo - 10000) ))
    if command -v ss >/dev/null 2>&1; then
      [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ] || continue
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

log_ms() { # a "2024-05-01T12:00:00.250Z info ..." log line -> milliseconds since the epoch
  date -d "$(printf '%s' "$1" | cut -d' ' -f1)" +%s%3N
}

# podman with the vfs driver stores every intermediate image as a full copy of its file system
# (about 1 GB for the build stage). After a build, drop the build-stage images (labelled
# org.dtsmock.stage=build) that this build did not use, and the image that the tag used to name.
prune_stale_images() { # build log, previous image id
  local used id short
  used=$(grep -oE -- '--> (Using cache )?[0-9a-f]{11,64}' "$1" | grep -oE '[0-9a-f]{11,64}$' | cut -c1-11 || true)
  for _ in 1 2; do # children first; a second pass for parents freed by the first
    for id in $($DOCKER images -q --no-trunc --filter dangling=true --filter label=org.dtsmock.stage=build 2>/dev/null); do
      short=$(printf '%s' "${id#sha256:}" | cut -c1-11)
      printf '%s\n' "$used" | grep -qx "$short" || $DOCKER rmi "$id" >/dev/null 2>&1 || true
    done
  done
  if [ -n "$2" ] && [ "$2" != "$($DOCKER image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null)" ]; then
    $DOCKER rmi "$2" >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- 1. build
command -v curl >/dev/null || fail "curl is needed"
OLD_IMAGE_ID=$($DOCKER image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
# The two builds run side by side: the client's is mostly downloads, dtsmock's mostly compiling.
# Behind a TLS-intercepting proxy npm needs the proxy's CA: the bundle that NODE_EXTRA_CA_CERTS (or
# DTSMOCK_BUILD_CA) names goes to the client build as a secret, not into the image.
CA_ARGS=()
CA_FILE=${DTSMOCK_BUILD_CA:-${NODE_EXTRA_CA_CERTS:-}}
if [ -n "$CA_FILE" ] && [ -r "$CA_FILE" ]; then
  CA_ARGS=(--secret "id=extra_ca,src=$CA_FILE")
  log "npm in the client build trusts the CA bundle $CA_FILE"
fi
log "building $CLIENT_IMAGE from docker/example-client (in the background)"
t_client=$(ms_now)
( $DOCKER build "${CA_ARGS[@]}" -t "$CLIENT_IMAGE" docker/example-client >"$WORK/client-build.log" 2>&1
  echo $? >"$WORK/client-build.rc"; echo $(( ($(ms_now) - t_client) / 1000 )) >"$WORK/client-build.s" ) &
CLIENT_BUILD_PID=$!
log "building $IMAGE from docker/Dockerfile (a Release build with -j${JOBS:-2}; the first build takes minutes)"
t=$(ms_now)
$DOCKER build --build-arg "JOBS=${JOBS:-2}" -t "$IMAGE" -f docker/Dockerfile . >"$WORK/build.log" 2>&1 ||
  { wait "$CLIENT_BUILD_PID"; show_tail "$WORK/build.log" 60; fail "the image build failed"; }
BUILD_S=$(( ($(ms_now) - t) / 1000 ))
wait "$CLIENT_BUILD_PID" || true
if [ "$(cat "$WORK/client-build.rc" 2>/dev/null)" != 0 ]; then
  show_tail "$WORK/client-build.log" 60
  fail "the example client's image build failed"
fi
CLIENT_BUILD_S=$(cat "$WORK/client-build.s")
[ "$IS_PODMAN" = 1 ] && prune_stale_images "$WORK/build.log" "$OLD_IMAGE_ID"

SIZE=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE")
SIZE_MB=$(awk -v s="$SIZE" 'BEGIN { printf "%.1f", s / 1000000 }')
[ "$SIZE" -lt 20000000 ] || fail "the image is $SIZE_MB MB; the target is under 20 MB"
USER_=$($DOCKER image inspect -f '{{.Config.User}}' "$IMAGE")
[ "$USER_" = "65532:65532" ] || fail "the image runs as '$USER_', not 65532:65532"
$DOCKER image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE" | grep -q 'healthcheck' ||
  fail "the image has no HEALTHCHECK running 'dtsmock healthcheck'"
log "image $IMAGE: $SIZE_MB MB, user $USER_ (built in ${BUILD_S}s; client image in ${CLIENT_BUILD_S}s)"

# ---------------------------------------------------------------- 2. run -> healthy
$DOCKER volume create "$VOL" >/dev/null
t0=$(ms_now)
$DOCKER run -d --name "$C1" -p 127.0.0.1::8080 -v "$VOL:/data" "$IMAGE" >"$WORK/run.log" 2>&1 ||
  { show_tail "$WORK/run.log"; fail "docker run failed"; }
t_run=$(ms_now)
wait_healthy "$C1"
t_healthy=$(ms_now)
RUN_MS=$(( t_run - t0 ))
HEALTHY_MS=$(( t_healthy - t0 ))
PORT=$(host_port "$C1")
deadline=$(( $(ms_now) + 10000 ))
until curl -fsS --max-time 1 "http://127.0.0.1:$PORT/_dtsmock/health" >/dev/null 2>&1; do
  [ "$(ms_now)" -lt "$deadline" ] || fail "healthy, but nothing answers on the published port 127.0.0.1:$PORT"
  sleep 0.02
done
# How much of that is dtsmock itself: from the container's start to its "started" log line.
SELF_MS="?"
started_at=$($DOCKER inspect -f '{{.State.StartedAt}}' "$C1" | sed 's/ UTC$//')
l_started=$($DOCKER logs "$C1" 2>&1 | grep -m1 ' info started' || true)
if [ -n "$l_started" ] && s_ms=$(date -d "$started_at" +%s%3N 2>/dev/null); then SELF_MS=$(( $(log_ms "$l_started") - s_ms )); fi
log "run -> healthy: ${HEALTHY_MS} ms (the run command returned after ${RUN_MS} ms; dtsmock was listening ${SELF_MS} ms after its container started); published on 127.0.0.1:$PORT"
health=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/_dtsmock/health")
case "$health" in *'"db":"/data/dtsmock.db"'*) ;; *) fail "the store is not /data/dtsmock.db: $health" ;; esac

# ---------------------------------------------------------------- 3. the API through the published port
created=$(api "$PORT" CreateMigrationService \
  '{"SrcDatabaseType":"mysql","DstDatabaseType":"mysql","SrcRegion":"ap-guangzhou","DstRegion":"ap-guangzhou","InstanceClass":"small","Count":1}')
JOB=$(printf '%s' "$created" | grep -o '"JobIds":\["dts-[a-z0-9]*"' | grep -o 'dts-[a-z0-9]*' || true)
[ -n "$JOB" ] || fail "CreateMigrationService did not answer a job id: $created"
detail=$(api "$PORT" DescribeMigrationDetail "{\"JobId\":\"$JOB\"}")
case "$detail" in *"\"JobId\":\"$JOB\""*) ;; *) fail "DescribeMigrationDetail did not find $JOB: $detail" ;; esac
log "API through 127.0.0.1:$PORT: CreateMigrationService -> $JOB, DescribeMigrationDetail finds it"

# ---------------------------------------------------------------- 4. SIGTERM
t=$(ms_now)
$DOCKER stop -t 5 "$C1" >"$WORK/stop.log" 2>&1
STOP_MS=$(( $(ms_now) - t ))
code=$($DOCKER inspect -f '{{.State.ExitCode}}' "$C1")
$DOCKER logs "$C1" >"$WORK/$C1.log" 2>&1
[ "$code" = 0 ] || { show_tail "$WORK/$C1.log"; fail "after SIGTERM the container exited with $code, not 0"; }
l_stopping=$(grep -m1 ' info stopping' "$WORK/$C1.log" || true)
l_stopped=$(grep -m1 ' info stopped' "$WORK/$C1.log" || true)
if [ -z "$l_stopping" ] || [ -z "$l_stopped" ]; then show_tail "$WORK/$C1.log"; fail "dtsmock did not log a clean stop"; fi
SERVER_STOP_MS=$(( $(log_ms "$l_stopped") - $(log_ms "$l_stopping") ))
[ "$SERVER_STOP_MS" -lt 1000 ] || fail "dtsmock took ${SERVER_STOP_MS} ms from SIGTERM to exit (want < 1 s)"
[ "$STOP_MS" -lt 5000 ] || fail "'$DOCKER stop' took ${STOP_MS} ms (the engine had to kill it?)"
log "SIGTERM: exit code 0; dtsmock stopped ${SERVER_STOP_MS} ms after the signal ('$DOCKER stop' took ${STOP_MS} ms)"

# ---------------------------------------------------------------- 5. a new container on the same volume
# ... listening on another port, set through its DTSMOCK_* variable: the health check must follow it.
$DOCKER rm "$C1" >>"$WORK/stop.log" 2>&1
$DOCKER run -d --name "$C2" -e DTSMOCK_PORT=9000 -p 127.0.0.1::9000 -v "$VOL:/data" "$IMAGE" >"$WORK/run2.log" 2>&1 ||
  { show_tail "$WORK/run2.log"; fail "docker run (second container) failed"; }
wait_healthy "$C2"
PORT2=$(host_port "$C2" 9000)
detail=$(api "$PORT2" DescribeMigrationDetail "{\"JobId\":\"$JOB\"}")
case "$detail" in *"\"JobId\":\"$JOB\""*) ;; *) fail "after a restart on volume $VOL, $JOB is gone: $detail" ;; esac
log "restart on volume $VOL (now with DTSMOCK_PORT=9000, healthy there too): $JOB is still there"
$DOCKER rm -f "$C2" >>"$WORK/stop.log" 2>&1

# ---------------------------------------------------------------- 6. the compose environment
export DTSMOCK_IMAGE=$IMAGE DTSMOCK_CLIENT_IMAGE=$CLIENT_IMAGE DTSMOCK_HOST_PORT
DTSMOCK_HOST_PORT=$(free_port)
[ -n "$DTSMOCK_HOST_PORT" ] || fail "no free loopback port for the compose environment"
log "compose: $COMPOSE -p $PROJECT -f $COMPOSE_FILE up --exit-code-from client"
COMPOSE_STARTED=1
t=$(ms_now)
set +e
# shellcheck disable=SC2086
timeout 600 $COMPOSE -p "$PROJECT" -f "$COMPOSE_FILE" up --exit-code-from client >"$WORK/compose.log" 2>&1
rc=$?
set -e
COMPOSE_S=$(( ($(ms_now) - t) / 1000 ))
if [ "$rc" -ne 0 ] || ! grep -q 'all steps passed' "$WORK/compose.log"; then
  show_tail "$WORK/compose.log" 80
  fail "the compose environment's client exited with $rc"
fi
grep -E '^\[ *[0-9.]+s\]|client.*\| *\[' "$WORK/compose.log" | sed 's/^/   /' || true
FIXTURES_LINE=$(grep -m1 -o 'fixtures loaded dir=/fixtures jobs=[0-9]*' "$WORK/compose.log" || true)
[ -n "$FIXTURES_LINE" ] || { show_tail "$WORK/compose.log" 80; fail "the compose environment's dtsmock did not load /fixtures"; }
log "compose: dtsmock logged: $FIXTURES_LINE"
log "compose: the example client exited 0 after ${COMPOSE_S}s"

log "PASS: image $SIZE_MB MB, run -> healthy ${HEALTHY_MS} ms, SIGTERM -> exit 0 in ${SERVER_STOP_MS} ms, state kept across restarts, compose client OK"
