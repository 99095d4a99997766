#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard's browser tests, once per machine (we run as root, as CI does),
# with Noto Color Emoji so emoji in screenshots look as users see them (not as empty boxes).
# Safe to run concurrently: the second caller waits on the lock and finds both installed.
set -euo pipefail
chromium=/usr/bin/chromium
emoji=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
[ -x "$chromium" ] && [ -f "$emoji" ] && exit 0
exec 9>/tmp/feedback-install-chromium.lock
flock 9
[ -x "$chromium" ] && [ -f "$emoji" ] && exit 0
command -v apt-get >/dev/null || { echo "install-chromium: apt-get not found; install Debian's chromium package so $chromium exists" >&2; exit 1; }
echo "Installing Debian's chromium and fonts-noto-color-emoji for the dashboard browser tests (once per machine; apt-get) ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji >/dev/null
[ -x "$chromium" ] || { echo "install-chromium: apt-get finished but $chromium is missing" >&2; exit 1; }
[ -f "$emoji" ] || { echo "install-chromium: apt-get finished but $emoji is missing" >&2; exit 1; }
echo "chromium ready: $($chromium --version 2>/dev/null || echo $chromium)"
