package main

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/ingest/live"
	"github.com/unmaskhq/unmask/ingest/server"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/report"
)

// liveReport turns a finished call into the same document `analyze`
// prints, so the live verdict and a replay of the recording compare
// field by field.
func liveReport(r live.Result, p fuse.Params) (*Report, error) {
	st := r.Status
	if st.Video.Analysed == 0 {
		return nil, errNoVideo
	}
	m := r.Manifest
	info := video.Info{Path: r.Dir, Width: st.Video.Width, Height: st.Video.Height,
		HasAudio: st.Audio.Packets > 0, Duration: time.Duration(m.Video.DurationMS) * time.Millisecond}
	if info.Duration > 0 {
		info.FPS = float64(m.Video.Frames) / info.Duration.Seconds()
	}
	eng := &engineResult{info: info, res: r.Pipeline, windows: r.Windows,
		summary: fuse.Summarise(p, r.Windows, signalNames)}
	if st.Video.Dropped > 0 {
		eng.warnings = append(eng.warnings, fmt.Sprintf("%d decoded frames were dropped because analysis fell behind", st.Video.Dropped))
	}
	if r.Err != nil {
		eng.warnings = append(eng.warnings, "analysis stopped early: "+r.Err.Error())
	}
	if st.RecordingError != "" {
		eng.warnings = append(eng.warnings, "recording: "+st.RecordingError)
	}
	for _, f := range st.Findings {
		eng.warnings = append(eng.warnings, "device: "+f.Reason)
	}
	rep := newReport(info, m.Video.SHA256, eng, analyzeOpts{audio: "live"}, p)
	rep.Tool = "unmask " + version.Version + " (live)"
	return rep, nil
}

// writeLiveReport writes the document as an evidence folder.
func writeLiveReport(dir string, rep *Report) error {
	out, err := evidence.Open(dir)
	if err != nil {
		return err
	}
	if err := report.Write(out, &rep.Document); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if _, err := out.WriteFile("summary.json", append(b, '\n')); err != nil {
		return err
	}
	_, err = out.Finish(rep.Tool, map[string]string{"recording": rep.Input.Path})
	return err
}

// serveClient reaches the local server: over HTTPS with a generated
// certificate it trusts exactly that certificate (its SHA-256 is in
// serve.json), never any certificate.
func serveClient(data string, sf server.ServeFile) (*http.Client, error) {
	c := &http.Client{Timeout: 20 * time.Second}
	if !strings.HasPrefix(sf.URL, "https:") || sf.Fingerprint == "" {
		return c, nil
	}
	want := strings.ToLower(sf.Fingerprint)
	c.Transport = &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return fmt.Errorf("no certificate")
			}
			sum := sha256.Sum256(raw[0])
			if hex.EncodeToString(sum[:]) != want {
				return fmt.Errorf("the server's certificate is not the one in %s/serve.json", data)
			}
			return nil
		},
	}}
	return c, nil
}
