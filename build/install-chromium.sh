#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser test, once per machine (we run as root, as CI does).
# Safe to run concurrently: the second caller waits on the lock and finds chromium installed.
set -euo pipefail
chromium=/usr/bin/chromium
[ -x "$chromium" ] && exit 0
exec 9>/tmp/feedback-install-chromium.lock
flock 9
[ -x "$chromium" ] && exit 0
command -v apt-get >/dev/null || { echo "install-chromium: apt-get not found; install Debian's chromium package so $chromium exists" >&2; exit 1; }
echo "Installing Debian's chromium package for the dashboard browser test (once per machine; apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$chromium" ] || { echo "install-chromium: apt-get finished but $chromium is missing" >&2; exit 1; }
echo "chromium ready: $($chromium --version 2>/dev/null || echo $chromium)"
