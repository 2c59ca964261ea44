#!/usr/bin/env bash
# Set up storyline in ./.venv on a fresh machine (Python 3.11, package registries only).
#   bash scripts/install.sh         the tool
#   bash scripts/install.sh --dev   the tool and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=".venv/bin/pip --disable-pip-version-check -q"
# torch first, pinned exactly: this spec takes the local CPU build; any other pulls CUDA packages.
$PIP install "torch==2.13.0"
extra=""
# The tests run the Spark engine too (local[2]): its extra, and Java from the system's packages.
[ "${1:-}" = "--dev" ] && extra="[dev,spark]"
$PIP install -c constraints.txt -e ".${extra}"
# The browser tests drive Debian's Chromium (Playwright's own browser download needs the internet);
# the Spark tests need a Java runtime (17 or newer).
if [ "${1:-}" = "--dev" ]; then
    missing=""
    command -v chromium >/dev/null || missing="chromium"
    command -v java >/dev/null || missing="$missing openjdk-17-jre-headless"
    if [ -n "$missing" ]; then
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        # shellcheck disable=SC2086
        $SUDO apt-get install -y -q $missing >/dev/null \
            || $SUDO sh -c "apt-get update -q && apt-get install -y -q $missing" >/dev/null
    fi
fi
# The spaCy model, pinned with its hash (hash-checking mode; its dependencies are installed above).
$PIP install --no-deps --require-hashes -r requirements/spacy-model.txt
