// Command unmask-desktop is the Unmask desktop app: a Wails v2 window over
// the services in package app. This file is the composition root only: it
// builds the services, binds them and wires their lifecycle to the window.
//
// Build it with `make desktop` (go build -tags desktop,production[,webkit2_41]);
// the headless analyzer is cmd/unmask.
package main

import (
	"embed"
	"fmt"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
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
	status := app.NewStatusService(models.Default())
	life := app.NewLifecycle([]app.Service{status})

	err := wails.Run(&options.App{
		Title:            "Unmask",
		Width:            1024,
		Height:           720,
		MinWidth:         640,
		MinHeight:        480,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 17, G: 24, B: 39, A: 255},
		OnStartup:        life.Startup,
		OnShutdown:       life.Shutdown,
		Bind:             []any{status},
		Linux:            &linux.Options{ProgramName: "unmask"},
	})
	if err != nil {
		return fmt.Errorf("run window (%s): %w", version.String(), err)
	}
	return nil
}
