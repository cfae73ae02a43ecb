#!/usr/bin/env bash
# Installs the Debian packages the project needs that this machine lacks (make system-deps, .ci/run).
#
#   tools/install-system-deps.sh all       everything `make test` needs: the browser for the browser tests too
#   tools/install-system-deps.sh runtime   what the product needs to run (fonts and Pango for the PDFs), no browser
#
# Only missing packages are installed. As root it runs apt-get; otherwise, with something missing, it prints
# the one command to run and stops (exit 1). Where there is no dpkg (not Debian) it says what to install and
# goes on: it cannot tell what is there.
set -euo pipefail

# The one list of system packages (the command is printed or run with only the missing ones).
INSTALL='apt-get install -y --no-install-recommends chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0'
# Needed by the tests only, never by `make install` or `make demo`.
TEST_ONLY=(chromium)

mode="${1:-all}"
case "$mode" in
  all | runtime) ;;
  *)
    echo "usage: $0 [all|runtime]" >&2
    exit 2
    ;;
esac

read -ra words <<<"$INSTALL"
options=()
packages=()
for word in "${words[@]:2}"; do
  if [[ $word == -* ]]; then options+=("$word"); else packages+=("$word"); fi
done

wanted=()
for package in "${packages[@]}"; do
  if [[ $mode == runtime ]] && [[ " ${TEST_ONLY[*]} " == *" $package "* ]]; then continue; fi
  wanted+=("$package")
done

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "No dpkg here, so the system packages cannot be checked. The project needs: ${wanted[*]}" >&2
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
  [[ $status == installed ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

command_line="apt-get install ${options[*]} ${missing[*]}"
if [[ "$(id -u)" != 0 ]]; then
  echo "Missing system packages: ${missing[*]}. Install them as root, then run make again:" >&2
  echo "  sudo $command_line" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install "${options[@]}" -qq "${missing[@]}" >/dev/null
