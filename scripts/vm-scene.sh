#!/usr/bin/env bash
# A real virtual machine for spice-overlay: QEMU with its own Spice server, a QXL display and the
# overlay's virtio-serial port, booting this machine's own Debian kernel and root filesystem
# (shared read-only over 9p, writes going to a tmpfs overlay in the guest; no disk image).
#
#   vm-scene.sh up DIR --port-socket PATH [--guest-size WxH] [--accel auto|kvm|tcg] [--memory MB]
#                      [--cpus N] [--guest-script FILE] [--timeout SECONDS]
#   vm-scene.sh down DIR
#
# 'up' starts the VM and waits until the guest's X server runs on the QXL display; then the guest
# runs --guest-script (a shell script, as root, DISPLAY=:0; the VM powers off when it ends; without
# one the guest idles) and writes what it does to DIR/share (guest.log, and whatever the script
# writes to /mnt/share, which is DIR/share). The overlay's port is a virtserialport named
# org.spiceoverlay.0 (in the guest /dev/virtio-ports/org.spiceoverlay.0) whose host end is a
# chardev connecting to the Unix socket --port-socket and reconnecting every second while nothing
# listens there (the client service's mux+unix: listener). QEMU's Spice server listens on a free
# port of 127.0.0.1, without a password.
# It writes DIR/vm.env (shell syntax): QEMU_PID SPICE_PORT ACCEL KERNEL GUEST_SIZE SHARE_DIR LOG_DIR
# QMP_SOCKET BOOT_TO_X_MS. On failure it says what failed and which log to read, stops QEMU and
# exits 1. 'down' stops QEMU (its own process only) and removes vm.env.
#
# KVM or TCG: --accel auto (the default) uses KVM when a probe shows that a KVM guest actually runs
# here (it boots the kernel once and waits for its first words, at most 20 s; the answer is kept
# until the machine reboots), else TCG, with a note saying so. Under nested virtualization /dev/kvm
# may exist and KVM guests still hang; TCG boots the kernel to the guest's X server in about 20 s.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  echo "usage: $0 up DIR --port-socket PATH [--guest-size WxH] [--accel auto|kvm|tcg] [--memory MB]" >&2
  echo "                 [--cpus N] [--guest-script FILE] [--timeout S]" >&2
  echo "       $0 down DIR" >&2
  exit 2
}

[ $# -ge 2 ] || usage
ACTION=$1
DIR=$2
shift 2
STATE=$DIR/vm.env

die() {
  echo "vm-scene: $*" >&2
  exit 1
}

stop_vm() {
  [ -f "$STATE" ] || return 0
  local p
  p=$(sed -n 's/^QEMU_PID=\([0-9]*\)$/\1/p' "$STATE")
  if [ -n "$p" ] && kill "$p" 2>/dev/null; then
    local i
    for i in $(seq 50); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$p" 2>/dev/null || true
  fi
  rm -f "$STATE"
}

if [ "$ACTION" = down ]; then
  [ $# -eq 0 ] || usage
  stop_vm
  exit 0
fi
[ "$ACTION" = up ] || usage

GUEST_SIZE=1024x768
ACCEL=auto
MEMORY=2048
CPUS=2
GUEST_SCRIPT=
PORT_SOCKET=
TIMEOUT=180
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --guest-size) GUEST_SIZE=$2 ;;
    --accel) ACCEL=$2 ;;
    --memory) MEMORY=$2 ;;
    --cpus) CPUS=$2 ;;
    --guest-script) GUEST_SCRIPT=$2 ;;
    --port-socket) PORT_SOCKET=$2 ;;
    --timeout) TIMEOUT=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[[ $GUEST_SIZE =~ ^[0-9]+x[0-9]+$ ]] || die "--guest-size must look like 1024x768, got '$GUEST_SIZE'"
[[ $ACCEL =~ ^(auto|kvm|tcg)$ ]] || die "--accel takes auto, kvm or tcg, got '$ACCEL'"
[[ $MEMORY =~ ^[0-9]+$ && $MEMORY -ge 512 ]] || die "--memory takes MB, at least 512, got '$MEMORY'"
[[ $CPUS =~ ^[0-9]+$ && $CPUS -ge 1 ]] || die "--cpus takes a count, got '$CPUS'"
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout takes whole seconds, got '$TIMEOUT'"
[ -n "$PORT_SOCKET" ] || die "--port-socket PATH is required (where the client service listens: mux+unix:PATH)"
[ -z "$GUEST_SCRIPT" ] || [ -f "$GUEST_SCRIPT" ] || die "--guest-script $GUEST_SCRIPT is not a file"

for prog in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static modprobe:kmod cpio:cpio; do
  command -v "${prog%%:*}" >/dev/null 2>&1 \
    || die "needs ${prog%%:*} (Debian package ${prog##*:}; run ./overlay setup as root)"
done
[ -x /lib/systemd/systemd-udevd ] || die "needs systemd-udevd in the guest (Debian package udev; run ./overlay setup as root)"
[ -e /usr/lib/xorg/modules/drivers/modesetting_drv.so ] \
  || die "needs the X server's modesetting driver for the guest's QXL display (xserver-xorg-core; ./overlay setup)"
# The newest kernel that has its modules here.
KERNEL=
for k in $(ls -v /boot/vmlinuz-* 2>/dev/null); do
  v=${k#/boot/vmlinuz-}
  [ -d "/lib/modules/$v/kernel" ] && [ -r "$k" ] && KERNEL=$k
done
[ -n "$KERNEL" ] || die "needs a Linux kernel with its modules (Debian package linux-image-amd64; run ./overlay setup as root)"
KVER=${KERNEL#/boot/vmlinuz-}
file -L "$(command -v busybox)" 2>/dev/null | grep -q 'statically linked' \
  || die "busybox must be the static one (Debian package busybox-static; ./overlay setup)"

[ -f "$STATE" ] && die "$STATE exists: a VM is up in $DIR already (run '$0 down $DIR' first)"
mkdir -p "$DIR/logs" "$DIR/share"
DIR=$(cd "$DIR" && pwd)
STATE=$DIR/vm.env
LOG_DIR=$DIR/logs
SHARE=$DIR/share
DEADLINE=$((SECONDS + TIMEOUT))
: > "$STATE"
record() {
  echo "$1=$2" >> "$STATE"
}

fail() {
  echo "vm-scene: $1" >&2
  shift
  local log
  for log in "$@"; do
    if [ -s "$log" ]; then
      echo "--- last lines of $log:" >&2
      tail -n 20 "$log" >&2
    fi
  done
  echo "vm-scene: logs are in $LOG_DIR" >&2
  stop_vm
  exit 1
}

# --- the initramfs: busybox, the modules that reach the root over 9p, our /init; cached ----------
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/spice-overlay/vm
mkdir -p "$CACHE"
INITRD=$CACHE/initramfs-$KVER.cpio.gz
if [ ! -s "$INITRD" ] || [ "$ROOT/scripts/vm/initramfs-init" -nt "$INITRD" ]; then
  BUILD=$(mktemp -d)
  mkdir -p "$BUILD"/{bin,lib/mod,proc,sys,dev,lower,upper,newroot}
  cp "$(command -v busybox)" "$BUILD/bin/busybox"
  cp "$ROOT/scripts/vm/initramfs-init" "$BUILD/init"
  chmod 755 "$BUILD/init"
  for m in virtio_pci 9pnet_virtio 9p overlay; do
    modprobe -S "$KVER" --show-depends "$m"
  done | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' > "$BUILD/modules" \
    || fail "cannot list the kernel modules the guest needs (modprobe --show-depends, kernel $KVER)"
  while read -r ko; do
    cp "$ko" "$BUILD/lib/mod/"
    basename "$ko" .ko >> "$BUILD/lib/mod/order"
  done < "$BUILD/modules"
  rm "$BUILD/modules"
  (cd "$BUILD" && find . | cpio -o -H newc --quiet | gzip -1) > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  rm -rf "$BUILD"
fi

# --- KVM or TCG ------------------------------------------------------------------------------------
kvm_runs() {
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
  local boot
  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
  local answer=$CACHE/kvm-$boot
  if [ ! -f "$answer" ]; then
    local out=$LOG_DIR/kvm-probe.out
    # The initramfs fails at once without the 9p share and powers off: its first words are enough.
    timeout 20 qemu-system-x86_64 -machine q35,accel=kvm -cpu host -m 256 -kernel "$KERNEL" -initrd "$INITRD" \
      -append "console=ttyS0 panic=-1" -display none -serial stdio -no-reboot -nodefaults >"$out" 2>&1 || true
    if grep -q 'initramfs:' "$out"; then echo yes > "$answer"; else echo no > "$answer"; fi
  fi
  [ "$(cat "$answer")" = yes ]
}
case $ACCEL in
  kvm) ;;
  tcg) ;;
  auto)
    if kvm_runs; then
      ACCEL=kvm
    else
      ACCEL=tcg
      echo "vm-scene: note: KVM guests do not run here (no /dev/kvm, or a probe guest hung: nested virtualization);" \
        "using TCG, which is slow" >&2
    fi
    ;;
esac
if [ "$ACCEL" = kvm ]; then
  MACHINE=(-machine q35,accel=kvm -cpu host)
else
  MACHINE=(-machine q35,accel=tcg -cpu max)
fi

# --- the guest's side of the share -----------------------------------------------------------------
echo "GUEST_SIZE=$GUEST_SIZE" > "$SHARE/guest.env"
if [ -n "$GUEST_SCRIPT" ]; then
  cp "$GUEST_SCRIPT" "$SHARE/guest.sh"
else
  echo 'while :; do sleep 3600; done' > "$SHARE/guest.sh"
fi
rm -f "$SHARE/guest.log"

# --- QEMU ------------------------------------------------------------------------------------------
port_in_use() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}
SPICE_PORT=
for attempt in 1 2 3 4 5 6 7 8; do
  p=$((5900 + RANDOM % 2000))
  port_in_use "$p" || { SPICE_PORT=$p; break; }
done
[ -n "$SPICE_PORT" ] || fail "no free port for the Spice server"
QMP_SOCKET=$DIR/qmp.sock
START_MS=$(date +%s%3N)
qemu-system-x86_64 -name spice-overlay-guest,debug-threads=on "${MACHINE[@]}" -m "$MEMORY" -smp "$CPUS" \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 quiet panic=-1 so.init=$ROOT/scripts/vm/guest-init.sh" \
  -display none -serial "file:$LOG_DIR/console.log" -no-reboot \
  -virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$SHARE,mount_tag=share,security_model=none" \
  -vga qxl -spice "port=$SPICE_PORT,addr=127.0.0.1,disable-ticketing=on" \
  -device virtio-serial-pci,id=vser0 \
  -chardev "socket,id=overlay0,path=$PORT_SOCKET,reconnect=1" \
  -device virtserialport,bus=vser0.0,chardev=overlay0,name=org.spiceoverlay.0 \
  -qmp "unix:$QMP_SOCKET,server=on,wait=off" \
  >"$LOG_DIR/qemu.out" 2>&1 &
QEMU_PID=$!
record QEMU_PID "$QEMU_PID"
record SPICE_PORT "$SPICE_PORT"
record ACCEL "$ACCEL"
record KERNEL "$KERNEL"
record GUEST_SIZE "$GUEST_SIZE"
record SHARE_DIR "$SHARE"
record LOG_DIR "$LOG_DIR"
record QMP_SOCKET "$QMP_SOCKET"

# --- wait for the guest's X server -----------------------------------------------------------------
until grep -q ' x-up' "$SHARE/guest.log" 2>/dev/null; do
  kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU ended before the guest's X server came up" \
    "$LOG_DIR/qemu.out" "$LOG_DIR/console.log" "$SHARE/guest.log"
  [ $SECONDS -lt $DEADLINE ] || fail "the guest's X server did not come up within $TIMEOUT s ($ACCEL)" \
    "$LOG_DIR/console.log" "$SHARE/guest.log"
  sleep 0.1
done
BOOT_TO_X_MS=$(( $(date +%s%3N) - START_MS ))
record BOOT_TO_X_MS "$BOOT_TO_X_MS"
echo "vm-scene: guest up ($ACCEL, kernel $KVER, X on QXL $GUEST_SIZE after $((BOOT_TO_X_MS / 1000)) s)," \
  "spice://127.0.0.1:$SPICE_PORT, overlay port -> $PORT_SOCKET; state in $STATE"
