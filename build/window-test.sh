#!/usr/bin/env bash
# window-test.sh is the desktop smoke test behind `make test-desktop`: it
# starts a private Xvfb server on a free display, runs the desktop binary
# under it, waits for the "Unmask" window, screenshots the screen with
# ImageMagick's `import -window root`, and fails unless the window shows
# rendered content and a model status that came from Go. It then stops the
# app with SIGTERM (Wails shuts down gracefully on it) and Xvfb, by PID.
#
# With OPEN=CLIP it starts the app with `--open CLIP` (the analyzer must
# sit next to the binary, as `make desktop` puts it) and also requires the
# review screen to show the video and the overlay drawn over it: many
# colours (a photograph, not flat UI) and the face box in one of the
# overlay's risk colours (VIDEO_COLORS in frontend/src/theme/palette.ts).
#
# Usage: build/window-test.sh [BINARY]   (default build/bin/unmask-desktop)
# Env:   SHOT=path.png            where to keep the screenshot (default build/bin/window-test.png)
#        OPEN=clip.mp4            a recording to open and check the player and overlay on
#        WINDOW_TEST_TIMEOUT=60   seconds to wait for the window to render
#        WINDOW_TEST_VERBOSE=1    log every screenshot's measurements
set -euo pipefail

bin=${1:-build/bin/unmask-desktop}
shot=${SHOT:-build/bin/window-test.png}
timeout=${WINDOW_TEST_TIMEOUT:-60}
title=Unmask
# Status colours (low and high of frontend/src/theme/palette.ts, dark and
# light theme: the window follows the system's). They appear only once
# StatusService.ModelStatus has answered, so finding them proves the Go ->
# JavaScript round trip, not just a painted page.
status_colours=('#34d399' '#f87171' '#047857' '#b91c1c')
# A blank window is one flat colour (standard deviation 0, a handful of
# colours); the status screen measured 0.07-0.09 with ~1000 colours.
min_stddev=0.02
min_colours=64
min_status_pixels=20
# With OPEN: the status screen has ~1000 colours, a 400x300 video frame
# scaled into the player adds tens of thousands; the face box is a 3-pixel
# stroke around a ~100-pixel face, well over 300 pixels.
open_clip=${OPEN:-}
overlay_colours=('#34d399' '#fbbf24' '#f87171')
min_video_colours=8000
min_overlay_pixels=300

log() { printf 'window-test: %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

for cmd in Xvfb xauth mcookie xwininfo import convert; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found: run build/setup.sh (xvfb, xauth, x11-utils, imagemagick)"
done
[[ -x $bin ]] || die "$bin is not an executable: run make desktop"

tmp=$(mktemp -d)
xvfb_pid=""
app_pid=""

# stop sends SIGTERM to pid $1 (named $2), waits up to $3 seconds, then
# SIGKILLs it. Returns 1 if it needed SIGKILL.
stop() {
  local pid=$1 name=$2 grace=$3 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM for ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

cleanup() {
  stop "$app_pid" "$bin" 10 || true
  stop "$xvfb_pid" Xvfb 5 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- Xvfb on a free display -------------------------------------------------
# -displayfd makes Xvfb pick a free display number and print it when ready.
# The server accepts every cookie in its -auth file whatever display the
# entry names, so the cookie is stored for a placeholder display first and
# for the real one once it is known.
export XAUTHORITY=$tmp/Xauthority
cookie=$(mcookie)
touch "$XAUTHORITY"
xauth -q -f "$XAUTHORITY" add :0 . "$cookie"
start=$SECONDS
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -auth "$XAUTHORITY" \
  3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for ((i = 0; i < 100; i++)); do
  [[ -s $tmp/display ]] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; die "Xvfb exited"; }
  sleep 0.1
done
[[ -s $tmp/display ]] || die "Xvfb did not report a display within 10s"
display=":$(tr -d '[:space:]' <"$tmp/display")"
xauth -q -f "$XAUTHORITY" add "$display" . "$cookie"
export DISPLAY=$display
unset WAYLAND_DISPLAY
export GDK_BACKEND=x11
log "Xvfb pid $xvfb_pid on $DISPLAY"

# --- the app ----------------------------------------------------------------
args=()
if [[ -n $open_clip ]]; then
  [[ -f $open_clip ]] || die "OPEN=$open_clip is not a file"
  args=(--open "$open_clip")
fi
UNMASK_DATA=$tmp/data "$bin" "${args[@]}" >"$tmp/app.log" 2>&1 &
app_pid=$!
log "started $bin, pid $app_pid"

show_log() { log "app output:"; sed 's/^/  | /' "$tmp/app.log" >&2 || true; }

# Wait for the mapped window and read its geometry.
geometry=""
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
  kill -0 "$app_pid" 2>/dev/null || { show_log; die "$bin exited before opening a window"; }
  if info=$(xwininfo -name "$title" 2>/dev/null) && [[ $info == *"Map State: IsViewable"* ]]; then
    x=$(awk -F: '/Absolute upper-left X/ {gsub(/ /,"",$2); print $2}' <<<"$info")
    y=$(awk -F: '/Absolute upper-left Y/ {gsub(/ /,"",$2); print $2}' <<<"$info")
    w=$(awk -F: '/Width/ {gsub(/ /,"",$2); print $2}' <<<"$info")
    h=$(awk -F: '/Height/ {gsub(/ /,"",$2); print $2}' <<<"$info")
    if ((w >= 320 && h >= 240)); then
      geometry="${w}x${h}+${x}+${y}"
      break
    fi
  fi
  sleep 0.2
done
[[ -n $geometry ]] || { show_log; die "no viewable \"$title\" window within ${timeout}s"; }
log "window \"$title\" $geometry after $((SECONDS - start))s"

# Screenshot until the window shows content and the model status.
mkdir -p "$(dirname "$shot")"
rendered=0
verdict="no screenshot"
while ((SECONDS < deadline)); do
  kill -0 "$app_pid" 2>/dev/null || { show_log; die "$bin exited while rendering"; }
  if import -window root "$tmp/shot.png" 2>/dev/null &&
    convert "$tmp/shot.png" -crop "$geometry" +repage "$tmp/window.png"; then
    stats=$(convert "$tmp/window.png" -format '%[fx:standard_deviation] %k' info: || echo "0 0")
    stddev=${stats% *}
    colours=${stats#* }
    status_pixels=$(convert "$tmp/window.png" -alpha off -fuzz 6% -fill '#ff00ff' \
      -opaque "${status_colours[0]}" -opaque "${status_colours[1]}" -opaque "${status_colours[2]}" -opaque "${status_colours[3]}" \
      -fuzz 0 -fill black +opaque '#ff00ff' \
      -fill white -opaque '#ff00ff' -format '%[fx:round(mean*w*h)]' info: || echo 0)
    verdict="standard deviation $stddev, $colours colours, $status_pixels status pixels"
    need_colours=$min_colours need_pixels=$min_status_pixels
    if [[ -n $open_clip ]]; then
      status_pixels=$(convert "$tmp/window.png" -alpha off -fuzz 4% -fill '#ff00ff' \
        -opaque "${overlay_colours[0]}" -opaque "${overlay_colours[1]}" -opaque "${overlay_colours[2]}" \
        -fuzz 0 -fill black +opaque '#ff00ff' -fill white -opaque '#ff00ff' \
        -format '%[fx:round(mean*w*h)]' info: || echo 0)
      verdict="standard deviation $stddev, $colours colours, $status_pixels overlay pixels"
      need_colours=$min_video_colours need_pixels=$min_overlay_pixels
    fi
    [[ -z ${WINDOW_TEST_VERBOSE:-} ]] || log "$((SECONDS - start))s: $verdict"
    if awk -v s="$stddev" -v c="$colours" -v p="$status_pixels" \
      -v ms="$min_stddev" -v mc="$need_colours" -v mp="$need_pixels" \
      'BEGIN { exit !(s > ms && c > mc && p > mp) }'; then
      rendered=1
      break
    fi
  fi
  sleep 0.5
done
[[ -f $tmp/shot.png ]] && cp "$tmp/shot.png" "$shot"
if ((rendered == 0)); then
  show_log
  if [[ -n $open_clip ]]; then
    die "no video with its overlay after ${timeout}s ($verdict); screenshot: $shot"
  fi
  die "window blank or without model status after ${timeout}s ($verdict); screenshot: $shot"
fi
log "rendered after $((SECONDS - start))s: $verdict"

# --- graceful shutdown ------------------------------------------------------
if ! stop "$app_pid" "$bin" 10; then
  app_pid=""
  die "$bin did not exit on SIGTERM"
fi
app_pid=""
log "PASS: screenshot in $shot"
