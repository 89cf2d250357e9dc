#!/usr/bin/env bash
# System packages the app and the tests need on Debian/Ubuntu (Qt's xcb/EGL libraries, CJK fonts,
# poppler for PDF checks, Xvfb for real-window screenshots, PostgreSQL for the LAN mode tests).
# Usage: scripts/system-deps.sh app|test
set -euo pipefail
what="${1:-app}"
APP_PKGS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 fonts-noto-cjk)
TEST_PKGS=(xvfb xauth poppler-utils postgresql postgresql-contrib libreoffice-calc-nogui)
pkgs=("${APP_PKGS[@]}")
[ "$what" = "test" ] && pkgs+=("${TEST_PKGS[@]}")
[ -n "${WENZE_EXTRA_APT:-}" ] && read -r -a extra <<<"$WENZE_EXTRA_APT" && pkgs+=("${extra[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "需要安装系统软件包：${missing[*]}（请以 root 运行或安装 sudo）" >&2; exit 1; fi
fi
echo "安装系统软件包：${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
