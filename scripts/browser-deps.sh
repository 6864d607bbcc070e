#!/usr/bin/env bash
# What the browser tests (tests/test_browser.py) need besides .venv: Debian's
# chromium at /usr/bin/chromium, and Playwright for Python in .venv to drive it.
# Playwright's own browser downloads are never used (`playwright install` is
# not run): the tests launch the system chromium.
# Exits non-zero, saying why, when either cannot be had; the tests then skip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CHROMIUM=${BOARDLAB_CHROMIUM:-/usr/bin/chromium}
PLAYWRIGHT_REQUIREMENT="playwright>=1.40"

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "Installing chromium (apt-get) for the browser tests ..."
        log=$(mktemp)
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq chromium; } > "$log" 2>&1; then
            tail -n 20 "$log" >&2
            echo "browser-deps: 'apt-get install chromium' failed; the browser tests will skip." >&2
            rm -f "$log"
            exit 1
        fi
        rm -f "$log"
    fi
    if [ ! -x "$CHROMIUM" ]; then
        echo "browser-deps: no chromium at $CHROMIUM; the browser tests will skip." >&2
        echo "  Install it as root with: apt-get install chromium (Debian/Ubuntu)," >&2
        echo "  or set BOARDLAB_CHROMIUM=/path/to/chromium." >&2
        exit 1
    fi
fi

if [ ! -x .venv/bin/python ]; then
    echo "browser-deps: no .venv yet (scripts/test makes it)." >&2
    exit 1
fi
if ! .venv/bin/python -c "import playwright.sync_api" 2> /dev/null; then
    echo "Installing $PLAYWRIGHT_REQUIREMENT into .venv for the browser tests ..."
    if ! .venv/bin/python -m pip install --quiet "$PLAYWRIGHT_REQUIREMENT"; then
        echo "browser-deps: could not install $PLAYWRIGHT_REQUIREMENT; the browser tests will skip." >&2
        exit 1
    fi
fi
