# shellcheck shell=bash
# The local AWS kit: LocalStack 4.14.0 (from PyPI, on the host) for Kinesis, S3, SNS, SQS,
# Firehose, CloudWatch, IAM, STS, CloudFormation and KMS, plus DynamoDB Local (from Maven
# Central) for DynamoDB. Sourced by ./tolls; ROOT is the repository root.

TOLLS_HOME="${TOLLS_HOME:-$ROOT/.tolls}"
LOCALSTACK_PORT="${TOLLS_LOCALSTACK_PORT:-4566}"
DYNAMODB_PORT="${TOLLS_DYNAMODB_PORT:-8000}"
KIT_REGION="${AWS_REGION:-us-east-1}"
KIT_SERVICES="kinesis,s3,sns,sqs,firehose,cloudwatch,iam,sts,cloudformation,kms"
KIT_RUN_DIR="$TOLLS_HOME/run"
KIT_STARTUP_TIMEOUT_SECONDS="${TOLLS_STARTUP_TIMEOUT_SECONDS:-300}"

LOCALSTACK_DIR="$TOLLS_HOME/localstack"
LOCALSTACK_REQUIREMENTS="$ROOT/local-kit/localstack/requirements.txt"
DYNAMODB_DIR="$TOLLS_HOME/dynamodb-local"
DYNAMODB_POM="$ROOT/local-kit/dynamodb-local/pom.xml"

die() {
  echo "tolls: $*" >&2
  exit 1
}

say() {
  echo "tolls: $*"
}

# --- installation -----------------------------------------------------------------------

# LocalStack 4.14.0 uses `threading.Lock | None` in annotations, which needs Python 3.13+.
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

install_localstack() {
  [[ -f "$LOCALSTACK_DIR/venv/.installed-$(fingerprint "$LOCALSTACK_REQUIREMENTS")" ]] && return 0
  local python
  python="$(find_python_for_localstack)" \
    || die "LocalStack 4.14.0 needs Python 3.13 or newer and none was found (looked for python3.13/python3.14 on PATH and under ${PYENV_ROOT:-$HOME/.pyenv}/versions)"
  command -v npm >/dev/null 2>&1 || die "LocalStack runs Kinesis with kinesis-mock from npm: npm is not on PATH"
  install_hashed_venv "LocalStack 4.14.0 (about two minutes)" "$LOCALSTACK_DIR" "$LOCALSTACK_REQUIREMENTS" "$python"
}

install_dynamodb_local() {
  local marker
  marker="$DYNAMODB_DIR/.installed-$(fingerprint "$DYNAMODB_POM")"
  [[ -f "$marker" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "installing DynamoDB Local needs Maven (mvn) on PATH"
  say "installing DynamoDB Local into $DYNAMODB_DIR (first use)"
  rm -rf "$DYNAMODB_DIR"
  mkdir -p "$DYNAMODB_DIR"
  local log="$DYNAMODB_DIR/install.log"
  if ! mvn -B -ntp -f "$DYNAMODB_POM" dependency:copy-dependencies \
    -DoutputDirectory="$DYNAMODB_DIR/lib" >"$log" 2>&1; then
    grep -E 'ERROR' "$log" | head -n 5 >&2
    die "installing DynamoDB Local failed; the full log is $log"
  fi
  touch "$marker"
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

# Starts a command in a session of its own, so that `down` can stop it with every child
# it spawned and nothing else.
start_detached() {
  local name="$1"
  shift
  mkdir -p "$KIT_RUN_DIR"
  setsid "$@" >"$KIT_RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# Stops the process we started and everything in its session: kinesis-mock runs in a
# process group of its own under LocalStack and must not outlive it.
stop_session() {
  local name="$1" marker="$2" pid
  if pid="$(running_pid "$name" "$marker")"; then
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while pgrep -s "$pid" >/dev/null 2>&1 && ((waited < 30)); do
      sleep 1
      waited=$((waited + 1))
    done
    pkill -KILL -s "$pid" 2>/dev/null || true
    say "stopped $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")"
}

LOCALSTACK_MARKER="localstack.runtime.main"
DYNAMODB_MARKER="com.amazonaws.services.dynamodbv2.local.main.ServerRunner"

start_localstack() {
  local filesystem="$LOCALSTACK_DIR/filesystem"
  rm -rf "$filesystem/tmp"
  # Host mode (no container): keep every file LocalStack writes under .tolls, answer with
  # loopback URLs (no DNS here for localhost.localstack.cloud), reach out to nobody. Every
  # test and local run makes streams of its own; the account default of 100 shards is
  # reached after a few runs on one kit.
  start_detached localstack env \
    OVERRIDE_IN_DOCKER=0 \
    FILESYSTEM_ROOT="$filesystem" \
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

start_dynamodb_local() {
  # -sharedDb: one database whatever the caller's credentials and region, like one account.
  start_detached dynamodb java -Xmx512m -Djava.library.path="$DYNAMODB_DIR/lib" \
    -cp "$DYNAMODB_DIR/lib/*" "$DYNAMODB_MARKER" \
    -inMemory -sharedDb -disableTelemetry -port "$DYNAMODB_PORT"
}

# --- readiness ----------------------------------------------------------------------------

# LocalStack and DynamoDB Local accept any signature; the header only has to be well formed.
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

dynamodb_ready() {
  aws_json_call "http://127.0.0.1:$DYNAMODB_PORT" DynamoDB_20120810.ListTables \
    application/x-amz-json-1.0 dynamodb
}

wait_until_ready() {
  local name="$1" marker="$2" check="$3" waited=0
  until "$check"; do
    if ! running_pid "$name" "$marker" >/dev/null; then
      tail -n 25 "$KIT_RUN_DIR/$name.log" >&2 || true
      die "$name exited while starting; its log is $KIT_RUN_DIR/$name.log"
    fi
    if ((waited >= KIT_STARTUP_TIMEOUT_SECONDS)); then
      tail -n 25 "$KIT_RUN_DIR/$name.log" >&2 || true
      die "$name did not answer within ${KIT_STARTUP_TIMEOUT_SECONDS}s; its log is $KIT_RUN_DIR/$name.log"
    fi
    sleep 1
    waited=$((waited + 1))
  done
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
EOF
}

kit_is_up() {
  running_pid localstack "$LOCALSTACK_MARKER" >/dev/null \
    && running_pid dynamodb "$DYNAMODB_MARKER" >/dev/null \
    && localstack_ready && dynamodb_ready
}

# True when the caller points the tests at other AWS endpoints (a LocalStack container,
# a real account) instead of this kit.
kit_endpoints_from_environment() {
  [[ -n "${AWS_ENDPOINT_URL:-}" || "${TOLLS_AWS_TARGET:-}" == "aws" ]]
}

kit_up() {
  mkdir -p "$KIT_RUN_DIR"
  install_localstack
  install_dynamodb_local
  # Both ports are checked before anything starts, so a conflict leaves nothing running.
  local need_localstack=0 need_dynamodb=0
  if ! running_pid localstack "$LOCALSTACK_MARKER" >/dev/null; then
    ensure_port_free "$LOCALSTACK_PORT" TOLLS_LOCALSTACK_PORT
    need_localstack=1
  fi
  if ! running_pid dynamodb "$DYNAMODB_MARKER" >/dev/null; then
    ensure_port_free "$DYNAMODB_PORT" TOLLS_DYNAMODB_PORT
    need_dynamodb=1
  fi
  if ((need_localstack)); then
    say "starting LocalStack 4.14.0 on 127.0.0.1:$LOCALSTACK_PORT"
    start_localstack
  fi
  if ((need_dynamodb)); then
    say "starting DynamoDB Local on port $DYNAMODB_PORT"
    start_dynamodb_local
  fi
  wait_until_ready dynamodb "$DYNAMODB_MARKER" dynamodb_ready
  wait_until_ready localstack "$LOCALSTACK_MARKER" localstack_ready
  kit_endpoint_lines >"$KIT_RUN_DIR/endpoints.properties"
  say "local AWS kit is up:"
  kit_endpoint_lines | sed 's/^/  /'
}

kit_down() {
  stop_session localstack "$LOCALSTACK_MARKER"
  stop_session dynamodb "$DYNAMODB_MARKER"
  rm -f "$KIT_RUN_DIR/endpoints.properties"
}

# Runs a command in the repository against the local kit, starting the kit first if it is
# not up (and stopping it afterwards), unless the environment names other AWS endpoints.
with_kit() {
  local started_here=0
  if ! kit_endpoints_from_environment && ! kit_is_up; then
    kit_up
    started_here=1
  fi
  local status=0
  (cd "$ROOT" && "$@") || status=$?
  if ((started_here)); then
    kit_down
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
      say "dynamodb    running  pid $pid  http://127.0.0.1:$DYNAMODB_PORT"
    else
      say "dynamodb    starting or unhealthy  pid $pid  (log: $KIT_RUN_DIR/dynamodb.log)"
      up=0
    fi
  else
    say "dynamodb    stopped"
    up=0
  fi
  ((up)) || return 3
}

kit_env() {
  kit_endpoint_lines | sed 's/^/export /'
}
