package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/unmaskhq/unmask/models"
)

func cmdModels(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	st := models.Default().Check()
	code := exitOK
	for _, s := range st {
		if !s.OK {
			code = exitModels
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"schema": 1, "models": st})
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tSTATUS\tPATH\tPACKAGE")
	for _, s := range st {
		status := "ok"
		if !s.OK {
			status = "MISSING"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, status, s.Path, s.Package)
	}
	tw.Flush()
	for _, s := range st {
		if !s.OK {
			fmt.Fprintln(stderr, s.Error)
		}
	}
	return code
}
