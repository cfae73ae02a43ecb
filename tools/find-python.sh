#!/usr/bin/env bash
# Prints a command that runs Python >= 3.12 (pyenv's 3.12 on this machine kind, else python3.12/python3).
set -u
for candidate in "python3.12" "env PYENV_VERSION=3.12.1 python3" "python3.13" "python3"; do
  if $candidate -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    echo "$candidate"; exit 0
  fi
done
echo "No Python >= 3.12 found. Install Python 3.12 (pyenv install 3.12.1)." >&2
exit 1
