#!/usr/bin/env bash
# README command (a): set everything up, then run the main job on the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/lupuskg all "$@"
