#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest (offline: no model may be downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
