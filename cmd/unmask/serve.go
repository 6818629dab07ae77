package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/ingest/live"
	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/ingest/server"
	"github.com/unmaskhq/unmask/internal/datadir"
	"github.com/unmaskhq/unmask/models"
)

// defaultDataDir is where serve keeps recordings (internal/datadir: the
// desktop app's folder too).
func defaultDataDir() string { return datadir.Default() }

type serveOpts struct {
	addr, data, cert, key, public, detector string
	ttl                                     time.Duration
	maxLive                                 int
	quiet                                   bool
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o serveOpts
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "address to listen on; beyond loopback HTTPS is used")
	fs.StringVar(&o.data, "data", defaultDataDir(), "folder for recordings, TLS files and serve.json")
	fs.StringVar(&o.cert, "cert", "", "TLS certificate (PEM); default: a generated self-signed one beyond loopback")
	fs.StringVar(&o.key, "key", "", "TLS key (PEM) for --cert")
	fs.StringVar(&o.public, "public-url", "", "base URL printed in links (behind a proxy or a DNS name)")
	fs.DurationVar(&o.ttl, "link-ttl", 4*time.Hour, "how long a candidate link accepts a publish")
	fs.IntVar(&o.maxLive, "max-live", 2, "calls analysed at once")
	fs.StringVar(&o.detector, "detector", "hog", "face detector: hog or haar")
	fs.BoolVar(&o.quiet, "quiet", false, "log only errors")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "unmask serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	level := slog.LevelInfo
	if o.quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, o, stdout, log); err != nil {
		fmt.Fprintln(stderr, "unmask serve:", err)
		return exitCode(err)
	}
	return exitOK
}

// recordingsDir holds one folder per publish.
func recordingsDir(data string) string { return filepath.Join(data, "recordings") }

func serve(ctx context.Context, o serveOpts, stdout io.Writer, log *slog.Logger) error {
	if err := os.MkdirAll(recordingsDir(o.data), 0o700); err != nil {
		return fail(exitOutput, err)
	}
	recoverRecordings(recordingsDir(o.data), log)
	reg := models.Default()
	params, err := loadFusion(reg)
	if err != nil {
		return fail(exitModels, err)
	}
	fm, err := face.LoadModels(reg)
	if err != nil {
		return fail(exitModels, err)
	}
	defer fm.Close()

	publish := func(ctx context.Context, req server.PublishRequest) (server.Publisher, error) {
		name := fmt.Sprintf("%s-%s-%d", time.Now().UTC().Format("20060102-150405"), req.SessionID, req.Take)
		dir := filepath.Join(recordingsDir(o.data), name)
		lip := signal.NewLiveLipSync(live.AudioRate, signal.LipSyncConfig{})
		vc := signal.NewVirtualCamera(signal.VirtualCameraConfig{})
		call, err := live.Start(ctx, live.Config{
			Dir: dir, Models: fm, Detector: o.detector, Params: params,
			Signals: signalSet(lip, vc), LipSync: lip, VirtualCamera: vc,
			Logger: log,
			OnEnd:  func(r live.Result) { saveLiveVerdict(r, params, log) },
		}, req)
		if err != nil {
			return nil, err
		}
		log.Info("call started", "session", req.SessionID, "recording", dir)
		return call, nil
	}
	srv, err := server.New(server.Config{Addr: o.addr, DataDir: o.data, CertFile: o.cert, KeyFile: o.key,
		PublicURL: o.public, LinkTTL: o.ttl, MaxLive: o.maxLive, Publish: publish, Logger: log})
	if err != nil {
		return fail(exitUsage, err)
	}
	if err := srv.Listen(); err != nil {
		return fail(exitUsage, err)
	}
	info, err := srv.NewSession()
	if err != nil {
		srv.Close()
		return err
	}
	printSession(stdout, info)
	if fp := srv.Fingerprint(); fp != "" {
		log.Info("self-signed certificate", "sha256", fp)
	}
	log.Info("serving", "url", srv.BaseURL(), "data", o.data)
	err = srv.Serve(ctx)
	srv.Close()
	if err != nil {
		return err
	}
	return nil
}

// printSession prints the contract lines scripts read: one per line.
func printSession(w io.Writer, in server.SessionInfo) {
	fmt.Fprintf(w, "candidate: %s\n", in.CandidateURL)
	fmt.Fprintf(w, "whip: %s %s\n", in.WHIPURL, in.Token)
	if f, ok := w.(*os.File); ok {
		f.Sync()
	}
}

// recoverRecordings finishes recordings a killed server left open.
func recoverRecordings(dir string, log *slog.Logger) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() || !record.IsSession(p) {
			continue
		}
		if m, err := record.ReadManifest(p); err == nil && m.Finalised() {
			continue
		}
		if _, err := record.Recover(p); err != nil {
			log.Error("recovering a recording", "dir", p, "err", err)
			continue
		}
		log.Info("recovered a recording left open", "dir", p)
	}
}

func cmdSession(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(stderr, "usage: unmask session new [--data DIR] [--json]")
		return exitUsage
	}
	fs := flag.NewFlagSet("session new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "the data folder of the running `unmask serve`")
	asJSON := fs.Bool("json", false, "print the session as JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	info, err := newSessionRemote(ctx, *data)
	if err != nil {
		fmt.Fprintln(stderr, "unmask session new:", err)
		return exitInput
	}
	if *asJSON {
		b, _ := json.MarshalIndent(info, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return exitOK
	}
	printSession(stdout, info)
	return exitOK
}

// newSessionRemote asks the server named in DATA/serve.json for a session.
func newSessionRemote(ctx context.Context, data string) (server.SessionInfo, error) {
	var sf server.ServeFile
	b, err := os.ReadFile(filepath.Join(data, server.ServeFileName))
	if err != nil {
		return server.SessionInfo{}, fmt.Errorf("no running server found in %s (start `unmask serve --data %s`): %w", data, data, err)
	}
	if err := json.Unmarshal(b, &sf); err != nil || sf.URL == "" || sf.AdminToken == "" {
		return server.SessionInfo{}, fmt.Errorf("%s is not a valid serve file", filepath.Join(data, server.ServeFileName))
	}
	client, err := serveClient(data, sf)
	if err != nil {
		return server.SessionInfo{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(sf.URL, "/")+"/api/sessions", nil)
	if err != nil {
		return server.SessionInfo{}, err
	}
	req.Header.Set("Authorization", "Bearer "+sf.AdminToken)
	resp, err := client.Do(req)
	if err != nil {
		return server.SessionInfo{}, fmt.Errorf("the server at %s does not answer: %w", sf.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusCreated {
		return server.SessionInfo{}, fmt.Errorf("server: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	var info server.SessionInfo
	if err := json.Unmarshal(body, &info); err != nil {
		return server.SessionInfo{}, fmt.Errorf("server: unreadable answer: %w", err)
	}
	return info, nil
}

// saveLiveVerdict writes the live run's verdict next to its recording
// (DIR/live: report.json, report.html, summary.json and a manifest), so
// a reviewer can compare it with a replay of the recording.
func saveLiveVerdict(r live.Result, p fuse.Params, log *slog.Logger) {
	doc, err := liveReport(r, p)
	if err != nil {
		log.Error("live verdict", "dir", r.Dir, "err", err)
		return
	}
	if err := writeLiveReport(filepath.Join(r.Dir, "live"), doc); err != nil {
		log.Error("live verdict", "dir", r.Dir, "err", err)
		return
	}
	log.Info("call ended", "recording", r.Dir, "reason", r.Reason, "risk", fmt.Sprintf("%.2f", doc.Risk), "level", doc.Level,
		"frames", r.Status.Video.Frames, "analysed", r.Status.Video.Analysed, "dropped", r.Status.Video.Dropped)
}

var errNoVideo = errors.New("no video frame was analysed")

func cmdRecover(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: unmask recover DIR")
		return exitUsage
	}
	m, err := record.Recover(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "unmask recover:", err)
		return exitInput
	}
	fmt.Fprintf(stdout, "%s: %s, video %d frames, audio %.1f s\n", args[0], m.EndReason, m.Video.Frames, float64(m.Audio.DurationMS)/1000)
	return exitOK
}
