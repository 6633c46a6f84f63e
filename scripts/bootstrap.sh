#!/usr/bin/env bash
# Create .venv and install lupuskg with its dev extras; re-install only when pyproject.toml changes.
# Says each step on stderr; pip's own output goes to .venv/bootstrap.log (shown if a step fails).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
log=.venv/bootstrap.log
start=$SECONDS

say() { echo "bootstrap: $*" >&2; }

# run a step quietly, its output appended to the log; on failure show the log's end and stop
step() {
  local what=$1
  shift
  say "$what"
  if ! "$@" >>"$log" 2>&1; then
    say "failed: $what; the last lines of $log:"
    tail -n 30 "$log" >&2
    exit 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  say "[1/3] creating .venv with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.lupuskg-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  : >"$log"
  step "[2/3] upgrading pip" .venv/bin/python -m pip install --upgrade pip
  step "[3/3] installing lupuskg and its dev extras from pyproject.toml (first time: 1-3 min)" \
    .venv/bin/python -m pip install -e '.[dev]'
  echo "$want" >"$stamp"
  packages=$(.venv/bin/python -m pip list --format=freeze 2>/dev/null | wc -l)
  say "ready: .venv has $packages packages ($((SECONDS - start)) s; pip's log: $log)"
else
  say ".venv is up to date with pyproject.toml"
fi
