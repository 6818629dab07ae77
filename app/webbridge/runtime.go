package webbridge

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strings"
)

// runtimeSource is the page runtime; configMarker stands for its config.
//
//go:embed runtime.js
var runtimeSource []byte

var configMarker = []byte("/*CONFIG*/")

// runtimeConfig is what the page runtime is given.
type runtimeConfig struct {
	Token     string `json:"token"`
	CallURL   string `json:"callURL"`
	EventsURL string `json:"eventsURL"`
	// Bindings lists method names by package and struct:
	// {"app": {"ReviewService": ["Open", ...]}}.
	Bindings    map[string]map[string][]string `json:"bindings"`
	Environment environment                    `json:"environment"`
}

// environment is what window.runtime.Environment resolves to, shaped like
// Wails' EnvironmentInfo.
type environment struct {
	BuildType string `json:"buildType"`
	Platform  string `json:"platform"`
	Arch      string `json:"arch"`
}

// runtimeScript returns the page runtime for token and methods.
func runtimeScript(token string, methods map[string]*method) ([]byte, error) {
	cfg := runtimeConfig{
		Token:       token,
		CallURL:     pathCall,
		EventsURL:   pathEvents + "?token=" + url.QueryEscape(token),
		Bindings:    map[string]map[string][]string{},
		Environment: environment{BuildType: "browser", Platform: runtime.GOOS, Arch: runtime.GOARCH},
	}
	for name := range methods {
		// The method name is after the last dot; the package after the first.
		pkg, rest, _ := strings.Cut(name, ".")
		i := strings.LastIndexByte(rest, '.')
		structName, methodName := rest[:i], rest[i+1:]
		if cfg.Bindings[pkg] == nil {
			cfg.Bindings[pkg] = map[string][]string{}
		}
		cfg.Bindings[pkg][structName] = append(cfg.Bindings[pkg][structName], methodName)
	}
	for _, structs := range cfg.Bindings {
		for _, names := range structs {
			slices.Sort(names)
		}
	}
	// json.Marshal escapes <, > and &, so the config cannot end the script.
	js, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("webbridge: encode runtime config: %w", err)
	}
	if bytes.Count(runtimeSource, configMarker) != 1 {
		return nil, fmt.Errorf("webbridge: runtime.js must hold %s once", configMarker)
	}
	return bytes.Replace(runtimeSource, configMarker, js, 1), nil
}
