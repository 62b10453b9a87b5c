#!/usr/bin/env bash
# Gives Node a WebGPU adapter on a Linux machine without a GPU: Dawn (the `webgpu` npm package)
# needs a Vulkan driver, and Mesa's lavapipe (Vulkan on the CPU) in Debian 12 is too old for it,
# so this installs Mesa from bookworm-backports. Idempotent; run as root (CI does).
#
# Usage: sudo scripts/setup-webgpu.sh   (then run tests with XDG_RUNTIME_DIR set, e.g. /tmp)
set -euo pipefail

if [ "$(uname -s)" != "Linux" ]; then
  echo "setup-webgpu: only needed on Linux (got $(uname -s)); nothing to do" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-webgpu: must run as root (apt-get install); try: sudo $0" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-webgpu: apt-get not found; install a Vulkan driver (Mesa lavapipe >= 23) with your package manager" >&2
  exit 1
fi

# Already done? Dawn needs Mesa >= 23 (Debian 12 ships 22.3, whose lavapipe Dawn rejects).
mesa="$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)"
if [ -n "$mesa" ] && dpkg --compare-versions "$mesa" ge 23 && dpkg-query -W libvulkan1 >/dev/null 2>&1; then
  echo "setup-webgpu: mesa-vulkan-drivers $mesa and libvulkan1 already installed"
  exit 0
fi

. /etc/os-release
codename="${VERSION_CODENAME:-}"
list=/etc/apt/sources.list.d/bookworm-backports.sources

if [ "$codename" = "bookworm" ]; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Mirror the main archive the machine already uses (deb.debian.org unless configured otherwise).
    uri="http://deb.debian.org/debian"
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      found="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
      [ -n "$found" ] && uri="$found"
    fi
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    {
      echo "Types: deb"
      echo "URIs: $uri"
      echo "Suites: bookworm-backports"
      echo "Components: main"
      [ -f "$keyring" ] && echo "Signed-By: $keyring"
    } >"$list"
    echo "setup-webgpu: added $list ($uri)"
  fi
  target=(-t bookworm-backports)
else
  # Newer Debian/Ubuntu releases ship a recent enough Mesa in their main archive.
  target=()
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${target[@]}" mesa-vulkan-drivers libvulkan1
echo "setup-webgpu: installed $(dpkg-query -W -f='mesa-vulkan-drivers ${Version}' mesa-vulkan-drivers)"
echo "setup-webgpu: set XDG_RUNTIME_DIR (e.g. export XDG_RUNTIME_DIR=/tmp) before running the WebGPU tests"
