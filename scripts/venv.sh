# Sourced by scripts/lab and scripts/test: make .venv, install BoardLab with
# the extras named in $EXTRAS, and its kernelspec. Reinstalls only when
# pyproject.toml or the extras change, so a second run starts at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "BoardLab needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment .venv ..."
    "$PYTHON" -m venv .venv
fi
# The stamp holds pyproject.toml's hash and the extras installed with it: a
# later run that wants no more than that starts at once.
stamp=".venv/.boardlab-installed"
hash=$(sha256sum pyproject.toml | cut -c1-16)
done_hash="" done_extras=""
if [ -f "$stamp" ]; then read -r done_hash done_extras < "$stamp" || true; fi
[ "$done_hash" = "$hash" ] || done_extras=""
missing=$(tr , '\n' <<< "$EXTRAS" | grep -vxF -f <(tr , '\n' <<< "$done_extras") || true)
if [ -n "$missing" ] || [ "$done_hash" != "$hash" ]; then
    all=$(printf '%s\n' ${done_extras//,/ } ${EXTRAS//,/ } | sort -u | paste -sd, -)
    echo "Installing BoardLab and its dependencies into .venv ($all); the first time takes a few minutes ..."
    # pip's own output goes to a log, shown when it fails: a first run's screen
    # is then the few lines of this script and JupyterLab's, not pip's notes
    # (setuptools says an editable install's folders may shadow packages).
    log=.venv/boardlab-install.log
    if ! { .venv/bin/python -m pip install --upgrade pip &&
           .venv/bin/python -m pip install -e ".[$all]"; } > "$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "Installing into .venv failed (pip's message is above; the whole log is $log)." >&2
        echo "Fix what it names (often: no connection to PyPI), then run the command again." >&2
        exit 1
    fi
    echo "$hash $all" > "$stamp"
fi
.venv/bin/boardlab install --sys-prefix > /dev/null
