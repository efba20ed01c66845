#!/usr/bin/env bash
# One-time set-up on a fresh machine: the Debian packages the platform and the tests run for real
# (Prometheus, promtool, Alertmanager, chromium for the browser tests) and the npm workspaces. Safe to
# run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v alertmanager >/dev/null 2>&1 || command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${need[@]}" | sort -u | tr '\n' ' ')
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing Debian packages: $pkgs"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    echo "setup: installing with Homebrew: prometheus alertmanager"
    brew install prometheus alertmanager
    if [[ " ${need[*]} " == *" chromium "* ]]; then
      echo "setup: the browser tests need chromium on PATH: brew install --cask chromium, then link its binary" \
        "(ln -s '/Applications/Chromium.app/Contents/MacOS/Chromium' /usr/local/bin/chromium)." >&2
    fi
  else
    echo "setup: please install Prometheus (prometheus, promtool), Alertmanager and chromium, then run this again." >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
echo "setup: done"
