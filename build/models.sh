#!/usr/bin/env bash
# models.sh generates the model files that Unmask builds from packages
# (models/known.go marks them "Generated"): today face_recognition.onnx,
# dlib's ResNet face-recognition network converted from the npm package
# @vladmandic/face-api@1.7.15 (model/face_recognition_model, TensorFlow.js
# weights) by cmd/unmask-models. Nothing is downloaded at run time.
#
# The tarball is cached in build/cache (or $UNMASK_BUILD_CACHE) and pinned
# by SHA-256; the model goes to models/generated (or $1), where the
# registry finds it for builds from this tree. Idempotent: when the model
# is present with the registry's hash nothing runs. `make models` runs it.
set -euo pipefail

pkg=@vladmandic/face-api
version=1.7.15
tarball=vladmandic-face-api-${version}.tgz
tarball_sha256=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031
model=face_recognition.onnx

log() { printf 'models: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-models/generated}"
cache="${UNMASK_BUILD_CACHE:-build/cache}"
mkdir -p "$out" "$cache"

# The registry's pinned hash of the generated file (models/known.go).
want_sha="$(awk -v f="\"$model\"" '$1 == "File:" && $2 == f"," {found=1} found && $1 == "SHA256:" {gsub(/[",]/, "", $2); print $2; exit}' models/known.go)"
[[ -n "$want_sha" ]] || die "no SHA256 for $model in models/known.go"

sha_ok() {
  [[ -f "$1" ]] || return 1
  local got
  got="$(sha256sum "$1")"
  [[ "${got%% *}" == "$2" ]]
}

if sha_ok "$out/$model" "$want_sha"; then
  log "ok $out/$model"
  exit 0
fi

if ! sha_ok "$cache/$tarball" "$tarball_sha256"; then
  command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js and npm (build/setup.sh does)"
  rm -f "$cache/$tarball"
  tmp="$(mktemp -d "$cache/.pack.XXXXXX")"
  log "npm pack ${pkg}@${version}"
  if ! (cd "$tmp" && npm pack --silent "${pkg}@${version}" >/dev/null); then
    rm -rf "$tmp"
    die "npm pack ${pkg}@${version} failed"
  fi
  mv -f "$tmp/$tarball" "$cache/$tarball"
  rm -rf "$tmp"
  sha_ok "$cache/$tarball" "$tarball_sha256" || {
    got="$(sha256sum "$cache/$tarball")"
    rm -f "$cache/$tarball"
    die "$tarball: sha256 ${got%% *}, want $tarball_sha256"
  }
fi

# Pure Go: no cgo needed, so this runs before OpenCV is even installed.
CGO_ENABLED=0 "${GO:-go}" run ./cmd/unmask-models -tarball "$cache/$tarball" -out "$out"
sha_ok "$out/$model" "$want_sha" || {
  got="$(sha256sum "$out/$model")"
  die "$out/$model: sha256 ${got%% *}, but models/known.go pins $want_sha (the converter changed: update the registry after checking the model, see docs/MODELS.md)"
}
log "ok $out/$model"
