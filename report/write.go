package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/unmaskhq/unmask/evidence"
)

// File names of the report inside an output directory.
const (
	JSONName = "report.json"
	HTMLName = "report.html"
)

// WriteJSON writes d as indented JSON in a stable order (fields as
// declared, map keys sorted). Values JSON cannot carry are repaired as
// described in the warning they add; d itself is not changed.
func WriteJSON(w io.Writer, d *Document) error {
	if d == nil {
		return fmt.Errorf("report: json: no document")
	}
	c := clean(d)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}

// Write renders d as report.json and report.html into dir, whose files the
// HTML links and whose annotated frames it shows as thumbnails. Both
// files go through dir, so they are atomic and listed in its manifest.
func Write(dir *evidence.Dir, d *Document) error {
	if dir == nil {
		return fmt.Errorf("report: write: no evidence directory")
	}
	var js, page bytes.Buffer
	if err := WriteJSON(&js, d); err != nil {
		return err
	}
	if err := WriteHTML(&page, d, dir.Path()); err != nil {
		return err
	}
	if _, err := dir.WriteFile(JSONName, js.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := dir.WriteFile(HTMLName, page.Bytes()); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
