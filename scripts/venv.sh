# Sourced by scripts/lab and scripts/test: make .venv, install BoardLab with
# the extras named in $EXTRAS, and its kernelspec. Reinstalls only when
# pyproject.toml or the extras change, so a second run starts at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "BoardLab needs Python 3.10 or newer as '$PYTHON' (set PYTHON=/path/to/python3)." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment .venv ..."
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.boardlab-installed"
want="$(cat pyproject.toml | sha256sum | cut -c1-16) $EXTRAS"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing BoardLab and its dependencies into .venv ($EXTRAS) ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
    echo "$want" > "$stamp"
fi
.venv/bin/boardlab install --sys-prefix > /dev/null
