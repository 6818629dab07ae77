package app_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/models"
)

// TestEventJSON pins the JSON keys that frontend/src/api/events.ts and the
// generated frontend/wailsjs/go/models.ts rely on.
func TestEventJSON(t *testing.T) {
	ev := app.ModelStatusEvent{Models: []models.Status{{Model: models.Model{Name: "a"}, OK: true}}, Missing: 0}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if got, want := sortedKeys(top), []string{"missing", "models"}; !slices.Equal(got, want) {
		t.Errorf("ModelStatusEvent keys = %v, want %v", got, want)
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(top["models"], &list); err != nil {
		t.Fatalf("unmarshal models: %v", err)
	}
	for _, k := range []string{"name", "file", "purpose", "size", "sha256", "licence", "package", "ok"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("models.Status JSON lacks %q: %s", k, top["models"])
		}
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
