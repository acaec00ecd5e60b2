#!/bin/sh
# PID 1 of the spice-overlay VM guest (after the initramfs, on the host's root filesystem under a
# tmpfs overlay): the guest side of a real deployment. Brings up udev (the virtio port's
# /dev/virtio-ports/ link), an X server on the QXL device, then runs the host's guest script
# (guest.sh in the share) and powers off when it ends. Everything it does is logged to the console
# (the host's console log) and its markers go to the share: guest-up, x-up, guest-done.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/user/0 /dev/pts /dev/shm
chmod 700 /run/user/0
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname spice-overlay-guest
SHARE=/mnt/share
mkdir -p $SHARE
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share $SHARE || { echo "guest: no share"; echo o > /proc/sysrq-trigger; }
say() { echo "guest: $*"; echo "$(cut -d' ' -f1 /proc/uptime) $*" >> $SHARE/guest.log; }
say guest-up
for m in virtio_console qxl; do modprobe $m || say "modprobe $m failed"; done
# What a package of the guest side installs: the group and user of the guest proxy daemon, and the
# udev rule that gives that group the overlay's port (packaging/guest).
PACKAGING=$(cd "$(dirname "$0")/../../packaging/guest" && pwd)
groupadd -r spice-overlay 2>/dev/null
useradd -r -g spice-overlay -d /nonexistent -s /usr/sbin/nologin spice-overlay 2>/dev/null
cp "$PACKAGING/60-spice-overlay.rules" /etc/udev/rules.d/
# udev: the standard rules link each virtio port by its name under /dev/virtio-ports/.
if [ -x /lib/systemd/systemd-udevd ]; then
  /lib/systemd/systemd-udevd --daemon
  udevadm trigger --action=add
  udevadm settle --timeout=10
fi
[ -e /dev/dri/card0 ] || say "no /dev/dri/card0 (qxl)"
say "port $(stat -L -c '%G %a' /dev/virtio-ports/org.spiceoverlay.0 2>&1)"
. $SHARE/guest.env
cat > /tmp/xorg.conf <<XEOF
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
Section "Device"
  Identifier "qxl"
  Driver "modesetting"
  Option "kmsdev" "/dev/dri/card0"
EndSection
XEOF
Xorg :0 -config /tmp/xorg.conf -nolisten tcp -noreset -logfile /tmp/Xorg.log vt1 > /tmp/xorg.out 2>&1 &
i=0
while ! xdpyinfo -display :0 > /dev/null 2>&1; do
  i=$((i + 1))
  [ $i -gt 300 ] && { say "X did not start"; cat /tmp/Xorg.log >> $SHARE/guest.log; echo o > /proc/sysrq-trigger; }
  sleep 0.1
done
export DISPLAY=:0
xrandr --output Virtual-1 --mode "${GUEST_SIZE:-1024x768}" 2>>$SHARE/guest.log || xrandr -s "${GUEST_SIZE:-1024x768}" 2>>$SHARE/guest.log
xsetroot -solid '#204060'
say "x-up $(xdpyinfo | sed -n 's/ *dimensions: *\([0-9x]*\).*/\1/p')"
sh $SHARE/guest.sh >> $SHARE/guest-script.log 2>&1
say "guest-done $?"
sync
echo o > /proc/sysrq-trigger
