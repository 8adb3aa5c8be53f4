#!/usr/bin/env bash
# Sets up Yingyan on a fresh Debian machine: system packages (when run as root),
# a virtual environment in .venv and the project with its development and installer extras.
#   bash setup.sh            # everything
#   bash setup.sh --no-apt   # skip the Debian packages
set -euo pipefail
cd "$(dirname "$0")"
APT=1
for a in "$@"; do [ "$a" = "--no-apt" ] && APT=0; done
PKGS="vlc-bin vlc-plugin-base vlc-plugin-video-output libvlc5 xvfb ffmpeg wixl msitools wine osslsigncode \
 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0 \
 libxcb-shape0 libxcb-xkb1 libxcb-cursor0 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
 fonts-noto-cjk postgresql-client chromium chromium-driver poppler-utils"
if [ "$APT" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    echo "setup: installing Debian packages: $(echo $missing | tr '\n' ' ')"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# dev: tests and linters; installer: what installer/build.py needs (tests/installer builds the MSI).
.venv/bin/python -m pip install -q -e '.[dev,installer]'
echo "setup: ready (.venv/bin/yingyan)"
