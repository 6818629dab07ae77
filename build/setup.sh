#!/usr/bin/env bash
# setup.sh installs the system packages Unmask needs to build, run and test.
# Idempotent: it installs only what is missing, so `make run` and `make test`
# call it every time. Debian 12 and Ubuntu 24.04 use apt-get; on macOS it
# prints the Homebrew equivalents (see README.md) instead of guessing.
set -euo pipefail

# Packages, grouped by why they are needed.
build_pkgs=(build-essential pkg-config git ca-certificates)
# OpenCV 4.6 (gocv v0.32.0), its Haar/LBP cascades, and dlib with the 68-point model.
vision_pkgs=(libopencv-dev opencv-data libdlib-dev libdlib-data libblas-dev liblapack-dev)
# Probing and demuxing recordings; libvpx decodes live VP8 calls
# (ingest/vp8), libavcodec and libswscale live H.264 calls (ingest/h264).
media_pkgs=(ffmpeg libvpx-dev libavcodec-dev libavutil-dev libswscale-dev)
# ID check (idcheck/): Tesseract reads the machine readable zone with its
# English model; fonts-ocr-b is the OCR-B face ICAO 9303 prescribes for the
# MRZ, used to render the synthetic test documents.
id_pkgs=(libtesseract-dev tesseract-ocr-eng fonts-ocr-b)
# Test-only audio tools for analysis/audio: espeak-ng synthesises real speech
# and sox converts it to other rates, channel counts and sample formats.
audio_test_pkgs=(espeak-ng sox)
# Test-only: a real browser as the candidate's WebRTC peer (fake camera and
# microphone) in the ingest tests.
browser_test_pkgs=(chromium)
# Wails v2 desktop window (GTK 3 + WebKitGTK); Xvfb, xauth, xwininfo (x11-utils)
# and ImageMagick for the window test (build/window-test.sh).
# fonts-dejavu-core: the window test reads rendered text; GTK pulls it in
# through fontconfig today, named here so it cannot silently disappear.
desktop_pkgs=(libgtk-3-dev xvfb xauth x11-utils imagemagick fonts-dejavu-core)
# Node for the Vite frontend, only when the machine has none.
node_pkgs=(nodejs npm)

log() { printf 'setup: %s\n' "$*" >&2; }

if [[ "$(uname -s)" == "Darwin" ]]; then
  log "macOS: install with Homebrew: brew install pkg-config opencv dlib ffmpeg node go"
  log "then: go install github.com/wailsapp/wails/v2/cmd/wails@v2.16.0"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get: install the packages listed in build/setup.sh with your package manager"
  exit 1
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: run this script as root"; exit 1
  fi
fi

# WebKitGTK: Debian 12 ships the 4.0 API, Ubuntu 24.04 only 4.1 (Wails tag webkit2_41).
webkit_pkg=libwebkit2gtk-4.0-dev
updated=0
apt_update() {
  if [[ $updated == 0 ]]; then
    log "apt-get update"
    $SUDO apt-get update -qq
    updated=1
  fi
}
# Capture before matching: with pipefail, `grep -q` closing the pipe early
# makes the producer die of SIGPIPE and the test report false.
have_candidate() { local out; out=$(apt-cache policy "$1" 2>/dev/null || true); [[ $out == *"Candidate: "[0-9]* ]]; }
installed() { local out; out=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true); [[ $out == "install ok installed" ]]; }

wanted=("${build_pkgs[@]}" "${vision_pkgs[@]}" "${media_pkgs[@]}" "${id_pkgs[@]}" "${audio_test_pkgs[@]}" "${browser_test_pkgs[@]}" "${desktop_pkgs[@]}")
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  wanted+=("${node_pkgs[@]}")
fi

missing=()
for p in "${wanted[@]}" "$webkit_pkg"; do
  installed "$p" || missing+=("$p")
done
# Accept an installed chromium-browser (Ubuntu) in place of chromium.
if [[ " ${missing[*]} " == *" chromium "* ]] && installed chromium-browser; then
  missing=("${missing[@]/chromium}")
fi
# Accept an installed 4.1 in place of 4.0.
if [[ " ${missing[*]} " == *" $webkit_pkg "* ]] && installed libwebkit2gtk-4.1-dev; then
  missing=("${missing[@]/$webkit_pkg}")
fi

if [[ -n "${missing[*]// /}" ]]; then
  apt_update
  if [[ " ${missing[*]} " == *" $webkit_pkg "* ]] && ! have_candidate "$webkit_pkg"; then
    missing=("${missing[@]/$webkit_pkg/libwebkit2gtk-4.1-dev}")
  fi
  # Ubuntu names the browser chromium-browser (a snap wrapper).
  if [[ " ${missing[*]} " == *" chromium "* ]] && ! have_candidate chromium; then
    missing=("${missing[@]/chromium/chromium-browser}")
  fi
  # shellcheck disable=SC2206
  pkgs=(${missing[@]})
  log "installing: ${pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1 && [[ ! -x /usr/local/go/bin/go ]]; then
  log "Go >= 1.22 is required and was not found; on Ubuntu 24.04: apt-get install golang-1.22-go,"
  log "on Debian 12: apt-get install -t bookworm-backports golang-1.22-go, then put its bin on PATH"
  exit 1
fi
log "system packages ready"
