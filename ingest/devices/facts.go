package devices

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits ParseFacts enforces. Each is far above what a real browser sends
// (labels are under ~80 characters, user agents under ~300, a machine has
// a handful of devices) and small enough that a hostile report costs
// little to parse and to show.
const (
	MaxBodySize       = 64 << 10 // bytes of JSON; the HTTP handler should cap the body too (http.MaxBytesReader)
	MaxDevices        = 64       // entries in each of videoInputs and audioInputs
	MaxLabelRunes     = 256      // runes in a label, deviceId, groupId or other string setting, after cleaning
	MaxUserAgentRunes = 1024     // runes in userAgent, after cleaning
)

// Bounds on the numbers in track settings. A value outside them is not
// something a camera or microphone reports; it is rejected, not clamped.
const (
	maxDimension    = 16384 // px: 16K; no webcam or virtual camera outputs more
	maxFrameRate    = 1000  // fps: high-speed capture is 240-960
	maxAspectRatio  = 100
	maxSampleRate   = 768000 // Hz: the highest rate any audio interface offers
	maxChannelCount = 64
	maxSampleSize   = 64 // bits
	maxLatency      = 10 // s
)

// Facts is what the candidate's page reports about its media devices. See
// the package documentation for the JSON it is decoded from.
type Facts struct {
	UserAgent   string   `json:"userAgent"`
	VideoInputs []Device `json:"videoInputs"`
	AudioInputs []Device `json:"audioInputs"`
	VideoTrack  *Track   `json:"videoTrack,omitempty"` // nil: no camera track
	AudioTrack  *Track   `json:"audioTrack,omitempty"` // nil: no microphone track
}

// Device is one entry of navigator.mediaDevices.enumerateDevices(). Labels
// are empty until the page has been granted access to a device of that
// kind, so the page enumerates after getUserMedia.
type Device struct {
	DeviceID string `json:"deviceId"`
	GroupID  string `json:"groupId,omitempty"`
	Kind     string `json:"kind,omitempty"` // "videoinput" or "audioinput" as sent; not relied on
	Label    string `json:"label"`
}

// Track is a captured MediaStreamTrack: its label and getSettings().
type Track struct {
	Label    string   `json:"label"`
	Settings Settings `json:"settings"`
}

// Settings is the part of MediaTrackSettings (getSettings()) Unmask reads.
// A zero number means the browser did not report it (JSON null or absent);
// unknown members are ignored.
type Settings struct {
	DeviceID string `json:"deviceId,omitempty"`
	GroupID  string `json:"groupId,omitempty"`

	// Video.
	Width       int     `json:"width,omitempty"`       // px
	Height      int     `json:"height,omitempty"`      // px
	FrameRate   float64 `json:"frameRate,omitempty"`   // fps, may be fractional (Chrome: 30.000030517578125)
	AspectRatio float64 `json:"aspectRatio,omitempty"` // width/height
	FacingMode  string  `json:"facingMode,omitempty"`
	ResizeMode  string  `json:"resizeMode,omitempty"` // "none" or "crop-and-scale"

	// Audio.
	SampleRate       int     `json:"sampleRate,omitempty"`   // Hz
	SampleSize       int     `json:"sampleSize,omitempty"`   // bits
	ChannelCount     int     `json:"channelCount,omitempty"` // channels
	Latency          float64 `json:"latency,omitempty"`      // s
	EchoCancellation *bool   `json:"echoCancellation,omitempty"`
	AutoGainControl  *bool   `json:"autoGainControl,omitempty"`
	NoiseSuppression *bool   `json:"noiseSuppression,omitempty"`
}

// ParseFacts decodes and checks a report. Strings are cleaned (control and
// invisible formatting characters removed, whitespace collapsed) before
// their limits are checked; unknown fields are ignored; any limit or value
// out of bounds rejects the whole report with an error wrapping ErrTooLarge
// or ErrInvalid that names the field. Our page never sends such a report,
// so a rejection is itself worth recording. ParseFacts does not retain
// data.
func ParseFacts(data []byte) (Facts, error) {
	if len(data) > MaxBodySize {
		return Facts{}, fmt.Errorf("%w: body is %d bytes, limit %d", ErrTooLarge, len(data), MaxBodySize)
	}
	// json.Unmarshal accepts `null` (and leaves a zero Facts); a report
	// must be an object.
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return Facts{}, fmt.Errorf("%w: not a JSON object", ErrInvalid)
	}
	var f Facts
	if err := json.Unmarshal(data, &f); err != nil {
		return Facts{}, jsonError(err)
	}
	if err := f.clean(); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// jsonError turns encoding/json's errors into ErrInvalid with the field.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "report"
		}
		want := typeName(typeErr.Type.Kind().String())
		if num, ok := strings.CutPrefix(typeErr.Value, "number "); ok {
			// A number of the right JSON type that Go cannot hold: a
			// fraction or an overflow.
			return fmt.Errorf("%w: %s: %s is not %s in range", ErrInvalid, field, num, want)
		}
		return fmt.Errorf("%w: %s: JSON %s where %s is expected", ErrInvalid, field, typeErr.Value, want)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("%w: malformed JSON at byte %d: %v", ErrInvalid, syntaxErr.Offset, err)
	default:
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
}

// typeName says a Go kind the way a JSON author thinks of it.
func typeName(kind string) string {
	switch kind {
	case "int", "int64":
		return "a whole number"
	case "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool", "ptr":
		return "true or false"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	}
	return kind
}

// clean checks every limit and cleans every string in place.
func (f *Facts) clean() error {
	var err error
	if f.UserAgent, err = cleanString("userAgent", f.UserAgent, MaxUserAgentRunes); err != nil {
		return err
	}
	for _, list := range []struct {
		name    string
		devices []Device
	}{{"videoInputs", f.VideoInputs}, {"audioInputs", f.AudioInputs}} {
		if len(list.devices) > MaxDevices {
			return fmt.Errorf("%w: %s has %d devices, limit %d", ErrTooLarge, list.name, len(list.devices), MaxDevices)
		}
		for i := range list.devices {
			if err := list.devices[i].clean(fmt.Sprintf("%s[%d]", list.name, i)); err != nil {
				return err
			}
		}
	}
	if f.VideoTrack != nil {
		if err := f.VideoTrack.clean("videoTrack"); err != nil {
			return err
		}
	}
	if f.AudioTrack != nil {
		if err := f.AudioTrack.clean("audioTrack"); err != nil {
			return err
		}
	}
	return nil
}

func (d *Device) clean(path string) error {
	for _, s := range []struct {
		name string
		v    *string
	}{{"deviceId", &d.DeviceID}, {"groupId", &d.GroupID}, {"kind", &d.Kind}, {"label", &d.Label}} {
		var err error
		if *s.v, err = cleanString(path+"."+s.name, *s.v, MaxLabelRunes); err != nil {
			return err
		}
	}
	return nil
}

func (t *Track) clean(path string) error {
	var err error
	if t.Label, err = cleanString(path+".label", t.Label, MaxLabelRunes); err != nil {
		return err
	}
	return t.Settings.clean(path + ".settings")
}

func (s *Settings) clean(path string) error {
	for _, str := range []struct {
		name string
		v    *string
	}{{"deviceId", &s.DeviceID}, {"groupId", &s.GroupID}, {"facingMode", &s.FacingMode}, {"resizeMode", &s.ResizeMode}} {
		var err error
		if *str.v, err = cleanString(path+"."+str.name, *str.v, MaxLabelRunes); err != nil {
			return err
		}
	}
	for _, n := range []struct {
		name string
		v    float64
		max  float64
	}{
		{"width", float64(s.Width), maxDimension},
		{"height", float64(s.Height), maxDimension},
		{"frameRate", s.FrameRate, maxFrameRate},
		{"aspectRatio", s.AspectRatio, maxAspectRatio},
		{"sampleRate", float64(s.SampleRate), maxSampleRate},
		{"sampleSize", float64(s.SampleSize), maxSampleSize},
		{"channelCount", float64(s.ChannelCount), maxChannelCount},
		{"latency", s.Latency, maxLatency},
	} {
		// JSON cannot carry NaN or Inf (encoding/json refuses them and
		// JSON.stringify writes null), but the check costs nothing.
		switch {
		case math.IsNaN(n.v) || math.IsInf(n.v, 0):
			return fmt.Errorf("%w: %s.%s is not a number", ErrInvalid, path, n.name)
		case n.v < 0:
			return fmt.Errorf("%w: %s.%s is %v, negative", ErrInvalid, path, n.name, n.v)
		case n.v > n.max:
			return fmt.Errorf("%w: %s.%s is %v, above %v", ErrInvalid, path, n.name, n.v, n.max)
		}
	}
	return nil
}

// cleanString removes control characters (Cc: they would break a log line
// or a UI) and invisible formatting characters (Cf: zero-width spaces,
// bidirectional overrides, which can disguise a name), collapses runs of
// whitespace to one space, trims, and checks the length in runes. Invalid
// UTF-8 has already become U+FFFD in encoding/json.
func cleanString(path, s string, limit int) (string, error) {
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if n := utf8.RuneCountInString(out); n > limit {
		return "", fmt.Errorf("%w: %s is %d characters, limit %d", ErrTooLarge, path, n, limit)
	}
	return out, nil
}
