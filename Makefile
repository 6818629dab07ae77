# Unmask build entry points. README.md documents `make run` and `make test`;
# both install missing system packages first (build/setup.sh, idempotent).
SHELL := /bin/bash
GO    ?= go
# Go from go.dev installs to /usr/local/go; make sure it is found.
export PATH := $(PATH):/usr/local/go/bin
export GOTOOLCHAIN ?= auto
export GOFLAGS ?= -mod=readonly

.PHONY: setup testdata models unmask test bench run frontend desktop clean

setup:
	@bash build/setup.sh

testdata:
	@bash testdata/fetch.sh

# models generates the model files built from packages rather than
# installed (face_recognition.onnx from npm @vladmandic/face-api, see
# build/models.sh); the registry finds them in models/generated.
models:
	@GO=$(GO) bash build/models.sh

unmask: setup models
	$(GO) build -o bin/unmask ./cmd/unmask

# --- desktop (owned by the desktop section; see docs/ARCHITECTURE.md) ---
# DESKTOP-TARGETS-BEGIN
# The desktop app is a Wails v2 window (main.go, app/, frontend/). These
# targets do what `wails build` does, without the wails CLI.
.PHONY: bindings test-desktop

FRONTEND_DIR := frontend
DESKTOP_BIN  := build/bin/unmask-desktop
# WebKitGTK: Wails' default API is 4.0; with only 4.1 installed (Ubuntu 24.04,
# or Debian 12 via setup.sh) it needs the webkit2_41 tag. Recursive (=) so
# that it is evaluated after `setup` has installed the packages.
WEBKIT_TAG    = $(shell if ! pkg-config --exists webkit2gtk-4.0 2>/dev/null && pkg-config --exists webkit2gtk-4.1 2>/dev/null; then echo ,webkit2_41; fi)
DESKTOP_TAGS  = desktop,production$(WEBKIT_TAG)
VERSION_LDFLAGS := $(if $(VERSION),-X github.com/unmaskhq/unmask/internal/version.Version=$(VERSION))
ifeq ($(shell uname -s),Darwin)
desktop: export CGO_LDFLAGS += -framework UniformTypeIdentifiers -mmacosx-version-min=10.13
desktop: export CGO_CFLAGS += -mmacosx-version-min=10.13
endif

# npm ci only when node_modules is missing or older than the manifest/lockfile.
$(FRONTEND_DIR)/node_modules/.package-lock.json: $(FRONTEND_DIR)/package.json $(FRONTEND_DIR)/package-lock.json
	cd $(FRONTEND_DIR) && npm ci --no-audit --no-fund
	@touch $@

# frontend type-checks (tsc --noEmit, strict) and bundles into frontend/dist.
frontend: $(FRONTEND_DIR)/node_modules/.package-lock.json
	cd $(FRONTEND_DIR) && npm run build

# desktop builds the window binary and, next to it, the analyzer it runs
# on recordings (a separate process, so a file that makes OpenCV abort
# cannot close the window); VERSION=x.y.z stamps the version.
desktop: setup models frontend
	CGO_ENABLED=1 $(GO) build -tags $(DESKTOP_TAGS) -ldflags "-w -s $(VERSION_LDFLAGS)" -o $(DESKTOP_BIN) .
	CGO_ENABLED=1 $(GO) build -ldflags "$(VERSION_LDFLAGS)" -o $(dir $(DESKTOP_BIN))unmask ./cmd/unmask

# bindings regenerates frontend/wailsjs (commit the result) after a bound
# method changes, as `wails generate module` does.
bindings: setup
	$(GO) build -tags bindings$(WEBKIT_TAG) -o build/bin/wailsbindings .
	tsoutputtype=interfaces ./build/bin/wailsbindings
	rm -f build/bin/wailsbindings

# run opens the window; on Linux with no X11/Wayland display it explains
# what to do instead.
run: desktop
	@if [[ "$$(uname -s)" == Linux && -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
	  echo "make run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop window cannot open." >&2; \
	  echo "  Analyze a recording headless instead:  make unmask && ./bin/unmask analyze VIDEO --json" >&2; \
	  echo "  Or check that the window renders under Xvfb:  make test-desktop" >&2; \
	  exit 1; \
	fi
	./$(DESKTOP_BIN)

# test-desktop opens the real window under Xvfb and checks a screenshot of
# the start screen, then of a real recording in review with its overlay.
test-desktop: desktop testdata
	bash build/window-test.sh $(DESKTOP_BIN)
	OPEN=$(CURDIR)/testdata/cache/media/cap13_edit2.mp4 SHOT=build/bin/window-review.png WINDOW_TEST_TIMEOUT=120 \
	  bash build/window-test.sh $(DESKTOP_BIN)
# DESKTOP-TARGETS-END

# test runs everything: vet, every Go test with Mat-leak counting (the go
# tool skips folders named testdata, so testdata/clips is named), the
# frontend type-check and build, and the real window under Xvfb.
test: setup testdata models frontend
	cd $(FRONTEND_DIR) && npm test
	$(GO) vet ./...
	$(GO) test -tags matprofile -count=1 -timeout 30m ./... ./testdata/clips
	$(MAKE) --no-print-directory test-desktop

# bench runs every stage's benchmark 10 times pinned to one core (OpenCV's
# own threads included), then the two-core file path; feed the output to
# benchstat for medians (docs/PERFORMANCE.md).
bench: setup testdata models
	taskset -c 0 $(GO) test -run '^$$' -bench . -benchtime 10x -count 10 -cpu 1 ./models
	taskset -c 0 $(GO) test -tags matprofile -run '^$$' -bench . -benchtime 200x -count 10 -cpu 1 ./analysis/face ./analysis/video ./analysis/measure ./analysis/embed
	taskset -c 0 $(GO) test -tags matprofile -run '^$$' -bench . -benchtime 2000x -count 10 -cpu 1 ./analysis/signal
	taskset -c 0 $(GO) test -tags matprofile -run '^$$' -bench . -benchtime 200x -count 10 -cpu 1 ./app
	$(GO) test -tags matprofile -run '^$$' -bench . -benchtime 2x -count 5 ./analysis/pipeline

clean:
	rm -rf bin build/bin frontend/dist models/generated
