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
read -r done_hash done_extras < "$stamp" 2>/dev/null || true
[ "${done_hash:-}" = "$hash" ] || done_extras=""
missing=$(tr , '\n' <<< "$EXTRAS" | grep -vxF -f <(tr , '\n' <<< "${done_extras:-}") || true)
if [ -n "$missing" ] || [ "${done_hash:-}" != "$hash" ]; then
    all=$(printf '%s\n' ${done_extras//,/ } ${EXTRAS//,/ } | sort -u | paste -sd, -)
    echo "Installing BoardLab and its dependencies into .venv ($all) ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[$all]"
    echo "$hash $all" > "$stamp"
fi
.venv/bin/boardlab install --sys-prefix > /dev/null
