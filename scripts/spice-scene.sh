#!/usr/bin/env bash
# A real Spice session on one machine, for tests and the demo:
#   guest display  - Xorg with the spiceqxl driver (Xspice): a Spice server whose X display plays the
#                    guest desktop (default 1024x768)
#   client display - Xvfb with openbox, or a display that is already there (--client-display, e.g. the
#                    user's own desktop for './overlay demo --show')
#   remote-viewer  - on the client display, connected to the guest's Spice server
#
#   spice-scene.sh up DIR [--guest-size WxH] [--client-size WxH | --client-display :N] [--window-size WxH]
#                         [--full-screen] [--timeout SECONDS]
#                         [--spice-port P] [--viewer-port P] [--streaming-video off|all|filter]
#                         [--video-codecs LIST] [--playback-fifo-dir DIR] [--guest-server PORT]
#   spice-scene.sh viewer DIR [--window-size WxH] [--full-screen] [--timeout SECONDS]
#   spice-scene.sh down DIR
#
# 'up' picks free display numbers (the X servers choose them with -displayfd) and a free TCP port,
# waits until remote-viewer shows the guest desktop, and writes DIR/scene.env (shell syntax):
#   GUEST_DISPLAY CLIENT_DISPLAY SPICE_PORT GUEST_SIZE CLIENT_SIZE LOG_DIR
#   GUEST_XORG_PID CLIENT_XVFB_PID OPENBOX_PID REMOTE_VIEWER_PID REMOTE_VIEWER_WINDOW CLIENT_DISPLAY_GIVEN
# With --client-display the scene starts neither Xvfb nor openbox (no CLIENT_XVFB_PID, OPENBOX_PID;
# CLIENT_DISPLAY_GIVEN=1, CLIENT_SIZE is that display's): remote-viewer opens there, and 'down' leaves
# that display and its window manager alone.
# On failure it says what failed and which log to read, stops what it started and exits 1.
# Spice server settings (the benchmark's): --spice-port fixes the server's port instead of a free
# one; --viewer-port makes remote-viewer connect to another port (a relay in front of the server);
# --streaming-video and --video-codecs are the server's SpiceStreamingVideo and SpiceVideoCodecs
# (default: the server's own, filter and its built-in codec list); --playback-fifo-dir makes the
# server play the audio written into FIFOs in that directory to the client (SpicePlaybackFIFODir).
# --guest-server PORT: the guest is served by a Spice server that is already running on
# 127.0.0.1:PORT (QEMU's, for scripts/vm-scene.sh); the scene starts no Xspice and records no
# GUEST_DISPLAY or GUEST_XORG_PID, and the server settings above do not apply.
# remote-viewer inherits this script's environment (PULSE_SERVER picks its sound server).
# 'viewer' (re)starts remote-viewer in a running scene and updates the state file.
# 'down' stops every process the state file names (its own processes only) and removes the file.
# Several scenes may run at once, each in its own DIR.
set -euo pipefail

usage() {
  echo "usage: $0 up DIR [--guest-size WxH] [--client-size WxH | --client-display :N] [--window-size WxH]" >&2
  echo "                 [--full-screen] [--timeout S]" >&2
  echo "       $0 viewer DIR [--window-size WxH] [--full-screen] [--timeout S]" >&2
  echo "       $0 down DIR" >&2
  exit 2
}

[ $# -ge 2 ] || usage
ACTION=$1
DIR=$2
shift 2
STATE=$DIR/scene.env

GUEST_SIZE=1024x768
CLIENT_SIZE=1920x1080
CLIENT_SIZE_GIVEN=0
CLIENT_DISPLAY_ARG=
WINDOW_SIZE=
FULL_SCREEN=0
TIMEOUT=30
SPICE_PORT_ARG=
VIEWER_PORT=
STREAMING_VIDEO=
VIDEO_CODECS=
PLAYBACK_FIFO_DIR=
GUEST_SERVER=

die() {
  echo "spice-scene: $*" >&2
  exit 1
}

# Stops the processes whose ids are in the state file, newest first, and waits for them.
stop_all() {
  [ -f "$STATE" ] || return 0
  local pids=()
  local var
  for var in REMOTE_VIEWER_PID OPENBOX_PID CLIENT_XVFB_PID GUEST_XORG_PID; do
    local p
    p=$(sed -n "s/^$var=\([0-9]*\)$/\1/p" "$STATE")
    [ -n "$p" ] && pids+=("$p")
  done
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  # X servers take a moment to exit; insist after 5 s.
  local i
  for i in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do
      kill -0 "$p" 2>/dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do
    kill -9 "$p" 2>/dev/null || true
  done
  rm -f "$STATE"
}

if [ "$ACTION" = down ]; then
  [ $# -eq 0 ] || usage
  stop_all
  exit 0
fi
[ "$ACTION" = up ] || [ "$ACTION" = viewer ] || usage

while [ $# -gt 0 ]; do
  case $1 in
    --guest-size) GUEST_SIZE=$2; shift 2 ;;
    --client-size) CLIENT_SIZE=$2; CLIENT_SIZE_GIVEN=1; shift 2 ;;
    --client-display) CLIENT_DISPLAY_ARG=$2; shift 2 ;;
    --window-size) WINDOW_SIZE=$2; shift 2 ;;
    --full-screen) FULL_SCREEN=1; shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --spice-port) SPICE_PORT_ARG=$2; shift 2 ;;
    --viewer-port) VIEWER_PORT=$2; shift 2 ;;
    --streaming-video) STREAMING_VIDEO=$2; shift 2 ;;
    --video-codecs) VIDEO_CODECS=$2; shift 2 ;;
    --playback-fifo-dir) PLAYBACK_FIFO_DIR=$2; shift 2 ;;
    --guest-server) GUEST_SERVER=$2; shift 2 ;;
    *) usage ;;
  esac
done
for s in "$GUEST_SIZE" "$CLIENT_SIZE" ${WINDOW_SIZE:+"$WINDOW_SIZE"}; do
  [[ $s =~ ^[0-9]+x[0-9]+$ ]] || die "a size must look like 1024x768, got '$s'"
done
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout takes whole seconds, got '$TIMEOUT'"
for p in "$SPICE_PORT_ARG" "$VIEWER_PORT" "$GUEST_SERVER"; do
  [ -z "$p" ] || [[ $p =~ ^[0-9]+$ && $p -gt 0 && $p -lt 65536 ]] || die "a port must be 1..65535, got '$p'"
done
[ -z "$STREAMING_VIDEO" ] || [[ $STREAMING_VIDEO =~ ^(off|all|filter)$ ]] \
  || die "--streaming-video takes off, all or filter, got '$STREAMING_VIDEO'"
CODECS_PATTERN='^[a-z0-9:;]+$'
[ -z "$VIDEO_CODECS" ] || [[ $VIDEO_CODECS =~ $CODECS_PATTERN ]] \
  || die "--video-codecs takes a list such as 'gstreamer:h264;spice:mjpeg', got '$VIDEO_CODECS'"
[ -z "$PLAYBACK_FIFO_DIR" ] || [ -d "$PLAYBACK_FIFO_DIR" ] || die "--playback-fifo-dir $PLAYBACK_FIFO_DIR is not a directory"
if [ -n "$GUEST_SERVER" ] && [ -n "$SPICE_PORT_ARG$STREAMING_VIDEO$VIDEO_CODECS$PLAYBACK_FIFO_DIR" ]; then
  die "--guest-server names a running Spice server: the server settings do not apply to it"
fi
if [ "$ACTION" = viewer ] && [ -n "$SPICE_PORT_ARG$STREAMING_VIDEO$VIDEO_CODECS$PLAYBACK_FIFO_DIR$GUEST_SERVER" ]; then
  die "the server's settings go with 'up', not 'viewer'"
fi
if [ -n "$CLIENT_DISPLAY_ARG" ]; then
  [ "$ACTION" = up ] || usage
  [ $CLIENT_SIZE_GIVEN -eq 0 ] || die "--client-size and --client-display are mutually exclusive: the display has its own size"
  [[ $CLIENT_DISPLAY_ARG =~ ^[A-Za-z0-9._-]*:[0-9]+(\.[0-9]+)?$ ]] \
    || die "--client-display takes an X display name such as :0, got '$CLIENT_DISPLAY_ARG'"
fi

for prog in /usr/lib/xorg/Xorg:xserver-xorg-core Xvfb:xvfb openbox:openbox remote-viewer:virt-viewer \
    xdpyinfo:x11-utils xprop:x11-utils xdotool:xdotool xsetroot:x11-xserver-utils; do
  command -v "${prog%%:*}" >/dev/null 2>&1 \
    || die "needs ${prog%%:*} (Debian package ${prog##*:}; run ./overlay setup as root)"
done
[ -e /usr/lib/xorg/modules/drivers/spiceqxl_drv.so ] \
  || die "needs the spiceqxl X driver (Debian package xserver-xspice; run ./overlay setup as root)"

if [ "$ACTION" = up ]; then
  [ -f "$STATE" ] && die "$STATE exists: a scene is up in $DIR already (run '$0 down $DIR' first)"
  mkdir -p "$DIR/logs"
else
  [ -f "$STATE" ] || die "no scene in $DIR ($STATE is missing): run '$0 up $DIR' first"
fi
DIR=$(cd "$DIR" && pwd)
STATE=$DIR/scene.env
LOG_DIR=$DIR/logs
DEADLINE=$((SECONDS + TIMEOUT))
[ "$ACTION" = up ] && : > "$STATE"

record() {
  echo "$1=$2" >> "$STATE"
}

fail() {
  echo "spice-scene: $1" >&2
  shift
  local log
  for log in "$@"; do
    if [ -s "$log" ]; then
      echo "--- last lines of $log:" >&2
      tail -n 15 "$log" >&2
    fi
  done
  echo "spice-scene: logs are in $LOG_DIR" >&2
  # A failed 'up' leaves nothing running; a failed 'viewer' leaves the scene as it is.
  [ "$ACTION" = up ] && stop_all
  exit 1
}

# Polls a command until it succeeds, for at most the time left; false when time runs out or the
# process $1 is gone.
wait_for() {
  local pid=$1
  shift
  while [ $SECONDS -lt $DEADLINE ]; do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# An X server started with -displayfd writes its display number into the file once it accepts
# clients; prints it.
display_number() {
  local pid=$1 file=$2
  while [ $SECONDS -lt $DEADLINE ]; do
    if [ -s "$file" ] && grep -q '^[0-9][0-9]*$' "$file"; then
      cat "$file"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

port_in_use() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# --- remote-viewer ------------------------------------------------------------------------------
# Starts remote-viewer on the client display and waits until it shows the guest; records its pid and
# window in the state file (replacing earlier ones).
start_viewer() {
  sed -i '/^REMOTE_VIEWER_PID=/d; /^REMOTE_VIEWER_WINDOW=/d' "$STATE"
  local args=(--title "spice-scene" spice://127.0.0.1:"${VIEWER_PORT:-$SPICE_PORT}")
  [ $FULL_SCREEN -eq 1 ] && args=(--full-screen "${args[@]}")
  DISPLAY=$CLIENT_DISPLAY remote-viewer "${args[@]}" >>"$LOG_DIR/remote-viewer.out" 2>&1 &
  RV_PID=$!
  record REMOTE_VIEWER_PID "$RV_PID"
  # The visible window (an unmapped 10x10 one shares the class).
  RV_WINDOW=
  while [ $SECONDS -lt $DEADLINE ]; do
    RV_WINDOW=$(DISPLAY=$CLIENT_DISPLAY xdotool search --onlyvisible --pid "$RV_PID" --class remote-viewer \
      2>/dev/null | head -n 1 || true)
    [ -n "$RV_WINDOW" ] && break
    kill -0 "$RV_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$RV_WINDOW" ] || fail "remote-viewer showed no window on $CLIENT_DISPLAY" "$LOG_DIR/remote-viewer.out"
  record REMOTE_VIEWER_WINDOW "$RV_WINDOW"
  # Connected: the title names the guest display, "spice-scene (1)", once its channel is up.
  until DISPLAY=$CLIENT_DISPLAY xdotool getwindowname "$RV_WINDOW" 2>/dev/null | grep -q 'spice-scene ('; do
    [ $SECONDS -lt $DEADLINE ] || fail "remote-viewer did not connect to spice://127.0.0.1:$SPICE_PORT" \
      "$LOG_DIR/remote-viewer.out" "$LOG_DIR/Xorg.guest.log"
    sleep 0.05
  done
  if [ -n "$WINDOW_SIZE" ] && [ $FULL_SCREEN -eq 0 ]; then
    DISPLAY=$CLIENT_DISPLAY xdotool windowsize --sync "$RV_WINDOW" "${WINDOW_SIZE%x*}" "${WINDOW_SIZE#*x}" \
      >"$LOG_DIR/xdotool.out" 2>&1 || fail "cannot resize the remote-viewer window to $WINDOW_SIZE" "$LOG_DIR/xdotool.out"
  fi
}

if [ "$ACTION" = viewer ]; then
  # A new remote-viewer for a running scene (the old one, if still running, is stopped first).
  VIEWER_PORT_GIVEN=$VIEWER_PORT
  . "$STATE"
  [ -n "$VIEWER_PORT_GIVEN" ] && VIEWER_PORT=$VIEWER_PORT_GIVEN
  if [ -n "${REMOTE_VIEWER_PID:-}" ] && kill "$REMOTE_VIEWER_PID" 2>/dev/null; then
    for i in $(seq 50); do kill -0 "$REMOTE_VIEWER_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  start_viewer
  echo "spice-scene: remote-viewer pid $RV_PID window $RV_WINDOW"
  exit 0
fi

# --- guest display: Xorg + spiceqxl on a free port, or a Spice server already running ----------
if [ -n "$GUEST_SERVER" ]; then
  SPICE_PORT=$GUEST_SERVER
  record SPICE_PORT "$SPICE_PORT"
  [ -n "$VIEWER_PORT" ] && record VIEWER_PORT "$VIEWER_PORT"
  record GUEST_SIZE "$GUEST_SIZE"
  record LOG_DIR "$LOG_DIR"
  port_in_use "$SPICE_PORT" || fail "no Spice server listens on 127.0.0.1:$SPICE_PORT (--guest-server)"
else
GW=${GUEST_SIZE%x*}
GH=${GUEST_SIZE#*x}
GUEST_PID=
for attempt in 1 2 3 4 5; do
  SPICE_PORT=${SPICE_PORT_ARG:-$((5900 + RANDOM % 2000))}
  if port_in_use "$SPICE_PORT"; then
    [ -n "$SPICE_PORT_ARG" ] && fail "port $SPICE_PORT (--spice-port) is in use"
    continue
  fi
  SERVER_OPTIONS=
  [ -n "$STREAMING_VIDEO" ] && SERVER_OPTIONS+="    Option \"SpiceStreamingVideo\" \"$STREAMING_VIDEO\""$'\n'
  [ -n "$VIDEO_CODECS" ] && SERVER_OPTIONS+="    Option \"SpiceVideoCodecs\" \"$VIDEO_CODECS\""$'\n'
  [ -n "$PLAYBACK_FIFO_DIR" ] && SERVER_OPTIONS+="    Option \"SpicePlaybackFIFODir\" \"$PLAYBACK_FIFO_DIR\""$'\n'
  # Explicit buffer sizes: the stock Xspice wrapper's defaults crash the driver here.
  cat > "$DIR/xspice.conf" <<CONF
Section "Device"
    Identifier "XSPICE"
    Driver "spiceqxl"
    Option "SurfaceBufferSize" "128"
    Option "CommandBufferSize" "128"
    Option "FrameBufferSize" "16"
    Option "NumHeads" "1"
    Option "SpicePort" "$SPICE_PORT"
    Option "SpiceAddr" "127.0.0.1"
    Option "SpiceDisableTicketing" "True"
${SERVER_OPTIONS}EndSection
Section "InputDevice"
    Identifier "XSPICE POINTER"
    Driver     "xspice pointer"
EndSection
Section "InputDevice"
    Identifier "XSPICE KEYBOARD"
    Driver     "xspice keyboard"
EndSection
Section "Monitor"
    Identifier "Configured Monitor"
EndSection
Section "Screen"
    Identifier "XSPICE Screen"
    Monitor    "Configured Monitor"
    Device     "XSPICE"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Modes "${GW}x${GH}"
    EndSubSection
EndSection
Section "ServerLayout"
    Identifier "XSPICE Example"
    Screen "XSPICE Screen"
    InputDevice "XSPICE KEYBOARD"
    InputDevice "XSPICE POINTER"
EndSection
Section "ServerFlags"
    Option "AutoAddDevices" "False"
EndSection
CONF
  rm -f "$DIR/guest.displayfd"
  /usr/lib/xorg/Xorg -config "$DIR/xspice.conf" -noreset -nolisten tcp -displayfd 3 \
    -logfile "$LOG_DIR/Xorg.guest.log" 3>"$DIR/guest.displayfd" >"$LOG_DIR/xorg.guest.out" 2>&1 &
  GUEST_PID=$!
  record GUEST_XORG_PID "$GUEST_PID"
  if GUEST_NUM=$(display_number "$GUEST_PID" "$DIR/guest.displayfd"); then
    break
  fi
  # Lost a race for the port (or the server failed): try another port while time is left.
  kill "$GUEST_PID" 2>/dev/null || true
  wait "$GUEST_PID" 2>/dev/null || true
  sed -i '/^GUEST_XORG_PID=/d' "$STATE"
  GUEST_PID=
  [ $SECONDS -lt $DEADLINE ] || break
done
[ -n "$GUEST_PID" ] || fail "the guest X server (Xorg + spiceqxl) did not start" \
  "$LOG_DIR/xorg.guest.out" "$LOG_DIR/Xorg.guest.log"
GUEST_DISPLAY=:$GUEST_NUM
record GUEST_DISPLAY "$GUEST_DISPLAY"
record SPICE_PORT "$SPICE_PORT"
[ -n "$VIEWER_PORT" ] && record VIEWER_PORT "$VIEWER_PORT"
record GUEST_SIZE "$GUEST_SIZE"
record LOG_DIR "$LOG_DIR"
wait_for "$GUEST_PID" env DISPLAY="$GUEST_DISPLAY" xdpyinfo \
  || fail "the guest X server on $GUEST_DISPLAY does not answer" "$LOG_DIR/xorg.guest.out" "$LOG_DIR/Xorg.guest.log"
ACTUAL=$(DISPLAY=$GUEST_DISPLAY xdpyinfo | sed -n 's/^ *dimensions: *\([0-9]*x[0-9]*\) pixels.*/\1/p')
[ "$ACTUAL" = "$GUEST_SIZE" ] || fail "the guest display came up $ACTUAL, not $GUEST_SIZE" "$LOG_DIR/Xorg.guest.log"
# A desktop colour, so that the guest's windows stand out from it (tests paint the same one).
DISPLAY=$GUEST_DISPLAY xsetroot -solid '#204060' \
  || fail "cannot paint the guest desktop on $GUEST_DISPLAY" "$LOG_DIR/Xorg.guest.log"
fi

# --- client display: Xvfb + openbox, or the one given ------------------------------------------
if [ -n "$CLIENT_DISPLAY_ARG" ]; then
  CLIENT_DISPLAY=$CLIENT_DISPLAY_ARG
  DISPLAY=$CLIENT_DISPLAY xdpyinfo >"$LOG_DIR/xdpyinfo.client.out" 2>&1 \
    || fail "the client display $CLIENT_DISPLAY does not answer (is it running, may this user open it? xhost/XAUTHORITY)" \
      "$LOG_DIR/xdpyinfo.client.out"
  CLIENT_SIZE=$(sed -n 's/^ *dimensions: *\([0-9]*x[0-9]*\) pixels.*/\1/p' "$LOG_DIR/xdpyinfo.client.out" | head -n 1)
  record CLIENT_DISPLAY "$CLIENT_DISPLAY"
  record CLIENT_SIZE "$CLIENT_SIZE"
  record CLIENT_DISPLAY_GIVEN 1
  DISPLAY=$CLIENT_DISPLAY xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' \
    || echo "spice-scene: note: no EWMH window manager on $CLIENT_DISPLAY; remote-viewer's window will not be managed" >&2
  start_viewer
  echo "spice-scene: guest ${GUEST_DISPLAY:-(external server)} ($GUEST_SIZE, spice port $SPICE_PORT), client $CLIENT_DISPLAY (given," \
    "$CLIENT_SIZE), remote-viewer pid $RV_PID window $RV_WINDOW; state in $STATE"
  exit 0
fi
rm -f "$DIR/client.displayfd"
Xvfb -displayfd 3 -screen 0 "${CLIENT_SIZE}x24" -nolisten tcp -noreset \
  3>"$DIR/client.displayfd" >"$LOG_DIR/xvfb.client.out" 2>&1 &
CLIENT_PID=$!
record CLIENT_XVFB_PID "$CLIENT_PID"
CLIENT_NUM=$(display_number "$CLIENT_PID" "$DIR/client.displayfd") \
  || fail "the client X server (Xvfb) did not start" "$LOG_DIR/xvfb.client.out"
CLIENT_DISPLAY=:$CLIENT_NUM
record CLIENT_DISPLAY "$CLIENT_DISPLAY"
record CLIENT_SIZE "$CLIENT_SIZE"
DISPLAY=$CLIENT_DISPLAY openbox --sm-disable >"$LOG_DIR/openbox.out" 2>&1 &
OPENBOX_PID=$!
record OPENBOX_PID "$OPENBOX_PID"
wait_for "$OPENBOX_PID" env DISPLAY="$CLIENT_DISPLAY" xprop -root _NET_SUPPORTING_WM_CHECK \
  || fail "openbox did not come up on $CLIENT_DISPLAY" "$LOG_DIR/openbox.out"
until DISPLAY=$CLIENT_DISPLAY xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; do
  [ $SECONDS -lt $DEADLINE ] || fail "openbox did not take over $CLIENT_DISPLAY" "$LOG_DIR/openbox.out"
  sleep 0.05
done

start_viewer
echo "spice-scene: guest ${GUEST_DISPLAY:-(external server)} ($GUEST_SIZE, spice port $SPICE_PORT), client $CLIENT_DISPLAY," \
  "remote-viewer pid $RV_PID window $RV_WINDOW; state in $STATE"
