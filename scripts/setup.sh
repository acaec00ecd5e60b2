#!/usr/bin/env bash
# Installs the Debian packages spice-overlay needs to build, test and run. Idempotent: prints
# nothing and exits 0 when everything is already installed. Needs root to install.
set -euo pipefail

PACKAGES=(
  # build
  openjdk-17-jdk-headless maven thrift-compiler
  # X server, window manager and X tools for the overlay, tests and the demo
  xvfb xauth x11-utils x11-xserver-utils xdotool wmctrl openbox xcompmgr imagemagick
  # OpenGL (Mesa llvmpipe when there is no GPU)
  libgl1-mesa-dri libegl1 libegl-mesa0 libgles2 mesa-utils
  # GStreamer: decode on the client, demux and encode sample clips
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
  # a real Spice server (Xspice) and clients (remote-viewer, spicy), QEMU for the port channel
  xserver-xspice virt-viewer spice-client-gtk qemu-system-x86
  # a linked PTY pair: the byte stream of a virtio-serial port, for tests
  socat
  # the benchmark: a private sound server (null sink, recorded from its monitor), GStreamer's pulse
  # elements and GL sink (local playback through GL), sockets listing
  pulseaudio pulseaudio-utils gstreamer1.0-pulseaudio gstreamer1.0-gl iproute2
  # the real VM (./overlay vm): a kernel and its modules, a static busybox for the initramfs, cpio;
  # in the guest (this machine's root filesystem): udev, X's modesetting driver (xserver-xorg-core),
  # GNU time for the player's CPU
  linux-image-amd64 busybox-static cpio kmod udev xserver-xorg-core time file
  # the guest side's systemd unit is checked with systemd-analyze; groupadd/useradd in the guest
  systemd passwd
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "spice-overlay needs these Debian packages, which are not installed:" >&2
  echo "  ${missing[*]}" >&2
  echo "Run './overlay setup' as root (e.g. 'sudo ./overlay setup') to install them." >&2
  exit 1
fi

echo "installing ${#missing[@]} Debian package(s): ${missing[*]}" >&2
log=$(mktemp -t spice-overlay-apt.XXXXXX)
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "package installation failed; the last lines of apt-get's output ($log):" >&2
  tail -n 25 "$log" >&2
  exit 1
fi
rm -f "$log"
echo "installed: ${missing[*]}" >&2
