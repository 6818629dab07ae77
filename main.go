// Command unmask-desktop is the Unmask desktop app: a Wails v2 window over
// the services in package app. This file is the composition root only: it
// builds the services, binds them and wires their lifecycle to the window.
//
// Build it with `make desktop` (go build -tags desktop,production[,webkit2_41]);
// the headless analyzer is cmd/unmask, which `make desktop` builds next to
// it: the window runs it to analyse recordings.
package main

import (
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/store"
)

// assets is the built frontend (make frontend). frontend/dist/.gitkeep keeps
// the pattern valid before the first build.
//
//go:embed all:frontend/dist
var assets embed.FS

func main() {
	if err := run(); err != nil {
		slog.Error("unmask-desktop", "err", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("unmask-desktop", flag.ContinueOnError)
	open := fs.String("open", "", "a recording (video file or recorded call folder) to open for review")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	data := app.DefaultDataDir()
	if d := os.Getenv("UNMASK_DATA"); d != "" { // a second profile, or a test's
		data = d
	}
	db, err := store.Open(filepath.Join(data, "unmask.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	analyzer, err := app.FindAnalyzer()
	if err != nil {
		slog.Warn("recordings cannot be analysed", "err", err)
	}
	reg := models.Default()
	engine := app.NewEngineLoader(reg, "hog")
	defer engine.Close()

	status := app.NewStatusService(reg)
	settings := app.NewSettingsService(db, data)
	sessions := app.NewSessionService(db, settings, nil)
	review := app.NewReviewService(app.ReviewConfig{Analyzer: analyzer, DB: db, CasesDir: settings.CasesDir,
		Sensitivity: settings.Sensitivity, OpenAtStart: *open})
	cameras := app.NewCameraService(app.CameraConfig{Engine: engine.Load, DB: db, Folder: settings.CameraDir,
		Sensitivity: settings.Sensitivity})
	live := app.NewLiveService(app.LiveConfig{Engine: engine.Load, Settings: settings, DB: db, Cameras: cameras})
	challenges := app.NewChallengeService(live, cameras)
	services := []app.Service{status, settings, sessions, review, live, cameras, challenges}
	life := app.NewLifecycle(services)

	err = wails.Run(&options.App{
		Title:     "Unmask",
		Width:     1280,
		Height:    800,
		MinWidth:  800,
		MinHeight: 560,
		AssetServer: &assetserver.Options{Assets: assets,
			Handler: app.FrameHandler{Review: review, Live: live, Camera: cameras}},
		BackgroundColour: &options.RGBA{R: 17, G: 24, B: 39, A: 255},
		OnStartup:        life.Startup,
		OnShutdown:       life.Shutdown,
		Bind:             []any{status, settings, sessions, review, live, cameras, challenges},
		Linux:            &linux.Options{ProgramName: "unmask"},
	})
	if err != nil {
		return fmt.Errorf("run window (%s): %w", version.String(), err)
	}
	return nil
}
