//go:build linux

package record_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pion/webrtc/v4/pkg/media/ivfreader"

	"github.com/unmaskhq/unmask/ingest/record"
)

// The test binary re-executes itself as a recording child when childEnv
// is set (see TestMain), so that it can be killed with SIGKILL.
const (
	childEnv    = "UNMASK_RECORD_CHILD"
	childDir    = "UNMASK_RECORD_DIR"
	childSrc    = "UNMASK_RECORD_SRC"
	childSpeech = "UNMASK_RECORD_SPEECH"
)

// runChild is the child's main; it returns the exit code.
func runChild(mode string) int {
	var err error
	switch mode {
	case "crash":
		err = childCrash()
	case "fsize":
		err = childFsize()
	case "unwritable":
		err = childUnwritable()
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	return 0
}

// childFrames reads the source IVF the parent made.
func childFrames() ([]frame, error) {
	f, err := os.Open(os.Getenv(childSrc))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, _, err := ivfreader.NewWith(f)
	if err != nil {
		return nil, err
	}
	var frames []frame
	for {
		b, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			return frames, nil
		}
		if err != nil {
			return nil, err
		}
		frames = append(frames, frame{data: b, key: b[0]&1 == 0})
	}
}

// childSpeechPCM reads the 48 kHz speech the parent made.
func childSpeechPCM() ([]float32, error) {
	b, err := os.ReadFile(os.Getenv(childSpeech))
	if err != nil {
		return nil, err
	}
	s := make([]int16, len(b)/2)
	for i := range s {
		s[i] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
	}
	return toFloat(s), nil
}

// childCrash records in real time (25 fps video, 20 ms audio chunks from
// two goroutines) and reports each write on stdout ("v N" = N frames
// written) until the parent kills it.
func childCrash() error {
	frames, err := childFrames()
	if err != nil {
		return err
	}
	pcm, err := childSpeechPCM()
	if err != nil {
		return err
	}
	r, err := record.Create(os.Getenv(childDir), record.Config{SessionID: "crash"})
	if err != nil {
		return err
	}
	if err := r.SetDeviceFacts(json.RawMessage(`{"camera":"test"}`)); err != nil {
		return err
	}
	var out sync.Mutex
	report := func(kind string, n int) {
		out.Lock()
		fmt.Fprintf(os.Stdout, "%s %d\n", kind, n) // unbuffered: one write per line
		out.Unlock()
	}
	start := time.Now()
	errc := make(chan error, 2)
	go func() {
		for i := 0; ; i++ {
			time.Sleep(time.Until(start.Add(time.Duration(i) * 40 * time.Millisecond)))
			f := frames[i%len(frames)]
			if err := r.WriteVideo(f.data, uint32(i*3600), f.key); err != nil {
				errc <- err
				return
			}
			report("v", i+1)
		}
	}()
	go func() {
		chunks := len(pcm) / 960
		for i := 0; ; i++ {
			time.Sleep(time.Until(start.Add(time.Duration(i) * 20 * time.Millisecond)))
			k := i % chunks
			if err := r.WriteAudio(pcm[k*960:(k+1)*960], uint32(i*960)); err != nil {
				errc <- err
				return
			}
			report("a", i+1)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(60 * time.Second):
		return errors.New("not killed within 60 s")
	}
}

// childFsize records with a file-size limit (RLIMIT_FSIZE) so that a
// write fails half way with EFBIG, a real disk write error, then closes.
// It prints the first write error and the Close result.
func childFsize() error {
	frames, err := childFrames()
	if err != nil {
		return err
	}
	lim := &syscall.Rlimit{Cur: 20000, Max: 20000}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, lim); err != nil {
		return err
	}
	r, err := record.Create(os.Getenv(childDir), record.Config{})
	if err != nil {
		return err
	}
	var werr error
	for i := 0; werr == nil && i < 10*len(frames); i++ {
		f := frames[i%len(frames)]
		werr = r.WriteVideo(f.data, uint32(i*3600), f.key)
	}
	fmt.Printf("write: stopped=%v efbig=%v %v\n", errors.Is(werr, record.ErrStopped), errors.Is(werr, syscall.EFBIG), werr)
	if err := r.WriteAudio(make([]float32, 960), 0); !errors.Is(err, record.ErrStopped) {
		return fmt.Errorf("audio after stop: %v", err)
	}
	_, err = r.Close(record.EndNormal)
	fmt.Printf("close: %v\n", err)
	return nil
}

// childUnwritable drops root (to nobody, 65534) and tries to Create in a
// directory it may not write and below it; it prints one line per try.
func childUnwritable() error {
	if err := syscall.Setgroups(nil); err != nil {
		return err
	}
	if err := syscall.Setgid(65534); err != nil {
		return err
	}
	if err := syscall.Setuid(65534); err != nil {
		return err
	}
	dir := os.Getenv(childDir)
	for _, d := range []string{dir, filepath.Join(dir, "sub")} {
		r, err := record.Create(d, record.Config{})
		switch {
		case err == nil:
			r.Close("")
			fmt.Printf("created %s\n", d)
		case errors.Is(err, record.ErrExists):
			fmt.Printf("exists %s: %v\n", d, err)
		default:
			fmt.Printf("refused: %v\n", err)
		}
	}
	return nil
}

// startChild starts the test binary in a child mode on dir. The child
// finds the test media in cacheDir, so the caller makes them first.
func startChild(t *testing.T, mode, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childDir+"="+dir,
		childSrc+"="+filepath.Join(cacheDir, "src.ivf"), childSpeech+"="+filepath.Join(cacheDir, "speech48k.s16"))
	return cmd
}

// TestCrashKill9 records in a child process, kills it with SIGKILL in
// the middle of a flush interval, recovers the session and measures the
// loss: frames and samples the child had been told were written but that
// Recover could not keep.
func TestCrashKill9(t *testing.T) {
	checkRoutines(t)
	frames := sourceFrames(t)
	pcm := speech(t)
	dir := filepath.Join(t.TempDir(), "crash")
	cmd := startChild(t, "crash", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var ackV, ackA int
	lines := make(chan struct{}, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			kind, num, _ := strings.Cut(sc.Text(), " ")
			n, _ := strconv.Atoi(num)
			mu.Lock()
			if kind == "v" {
				ackV = n
			} else {
				ackA = n
			}
			mu.Unlock()
			select {
			case lines <- struct{}{}:
			default:
			}
		}
	}()
	select {
	case <-lines:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child wrote nothing: %s", stderr.String())
	}
	// 5.5 s: two flushes (2 s, 4 s) done, 1.5 s since the last.
	time.Sleep(5500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	mu.Lock()
	v, a := ackV, ackA
	mu.Unlock()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v %s", cmd.ProcessState, stderr.String())
	}

	before, err := record.ReadManifest(dir)
	if err != nil || before.Finalised() {
		t.Fatalf("manifest after kill: %+v %v", before, err)
	}
	m, err := record.Recover(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.EndReason != record.EndRecovered || !m.Finalised() || m.SessionID != "crash" || string(m.Device) != `{"camera":"test"}` {
		t.Errorf("recovered manifest %+v", m)
	}
	// Packet counts come from the last manifest write (the last flush).
	if m.Audio.Packets < int64(a)-110 || m.Audio.Packets > int64(a)+1 {
		t.Errorf("recovered manifest counts %d audio packets, %d were acknowledged", m.Audio.Packets, a)
	}
	lostV := v - int(m.Video.Frames)
	lostA := a*960 - int(m.Audio.Samples)
	t.Logf("killed after %d frames and %d audio chunks acknowledged; recovered %d frames and %d samples; lost %d frames, %d samples; kept after the last flush: %d frames, %d samples; cut %d video bytes, %d audio bytes",
		v, a, m.Video.Frames, m.Audio.Samples, lostV, lostA, m.Recovery.VideoFramesAfterFlush, m.Recovery.AudioSamplesAfterFlush,
		m.Recovery.VideoBytesDropped, m.Recovery.AudioBytesDropped)
	// The guarantee is one flush interval (2 s = 50 frames, 96000
	// samples); with writes going straight to the page cache a kill
	// loses nothing acknowledged, and at most one write in flight is
	// beyond the acknowledgement.
	if lostV > 50 || lostA > 96000 {
		t.Errorf("lost %d frames and %d samples, more than one flush interval", lostV, lostA)
	}
	if lostV > 0 || lostA > 0 || lostV < -1 || lostA < -960 {
		t.Errorf("lost %d frames and %d samples; want 0 (at most one unacknowledged write extra)", lostV, lostA)
	}

	vpath, apath := filepath.Join(dir, record.VideoName), filepath.Join(dir, record.AudioName)
	h, got := readIVF(t, vpath)
	if int(h.NumFrames) != len(got) || int64(len(got)) != m.Video.Frames {
		t.Errorf("IVF header %d frames, file %d, manifest %d", h.NumFrames, len(got), m.Video.Frames)
	}
	for i, f := range got {
		if !bytes.Equal(f.data, frames[i%len(frames)].data) || f.ms != uint64(i*40) {
			t.Fatalf("frame %d differs (at %d ms)", i, f.ms)
		}
	}
	if n := probeFrames(t, vpath); n != len(got) {
		t.Errorf("ffprobe decoded %d frames, want %d", n, len(got))
	}
	samples, _ := readWAV(t, apath)
	if int64(len(samples)) != m.Audio.Samples {
		t.Errorf("WAV %d samples, manifest %d", len(samples), m.Audio.Samples)
	}
	chunks := len(pcm) / 960
	for i, s := range samples {
		k := i / 960 % chunks
		if want := pcm[k*960+i%960]; s != want {
			t.Fatalf("sample %d = %d, want %d", i, s, want)
		}
	}
	if d := probeDuration(t, apath); math.Abs(d-float64(len(samples))/48000) > 0.001 {
		t.Errorf("ffprobe WAV duration %.3f s, want %.3f", d, float64(len(samples))/48000)
	}
	for _, f := range []struct {
		path, sum string
		size      int64
	}{{vpath, m.Video.SHA256, m.Video.Size}, {apath, m.Audio.SHA256, m.Audio.Size}} {
		if sum, size := sha256File(t, f.path); sum != f.sum || size != f.size {
			t.Errorf("%s: %d bytes %s, manifest %d bytes %s", f.path, size, sum, f.size, f.sum)
		}
	}
	if m.End.Before(m.Start.Time) || m.End.Sub(m.Start.Time) > 10*time.Second {
		t.Errorf("end %v start %v", m.End, m.Start)
	}
	// A second Recover is a no-op.
	again, err := record.Recover(dir)
	if err != nil || again.Video.SHA256 != m.Video.SHA256 || again.Recovery.At != m.Recovery.At {
		t.Errorf("second Recover: %+v %v", again, err)
	}
}

// TestWriteErrorStops makes the disk refuse a write (RLIMIT_FSIZE in a
// child: EFBIG half way through a frame) and checks that recording stops
// cleanly and Close leaves valid files and a manifest saying why.
func TestWriteErrorStops(t *testing.T) {
	sourceFrames(t)
	dir := filepath.Join(t.TempDir(), "fsize")
	cmd := startChild(t, "fsize", dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "write: stopped=true efbig=true") {
		t.Errorf("child output:\n%s", out)
	}
	t.Logf("child:\n%s", out)
	m, err := record.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Stopped == nil || m.Stopped.Reason != record.StopWriteError {
		t.Fatalf("manifest stopped = %+v", m.Stopped)
	}
	if !m.Finalised() {
		// Close could not write the final manifest if the limit also hit
		// session.json; then Recover must finish the job.
		if m, err = record.Recover(dir); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := record.Verify(dir); err != nil {
		t.Error(err)
	}
	vpath := filepath.Join(dir, record.VideoName)
	h, got := readIVF(t, vpath)
	if int(h.NumFrames) != len(got) || int64(len(got)) != m.Video.Frames || len(got) == 0 {
		t.Errorf("IVF header %d frames, file %d, manifest %d", h.NumFrames, len(got), m.Video.Frames)
	}
	if n := probeFrames(t, vpath); n != len(got) {
		t.Errorf("ffprobe decoded %d frames, want %d", n, len(got))
	}
	if st, _ := os.Stat(vpath); st.Size() > 20000 {
		t.Errorf("video.ivf is %d bytes, over the 20000-byte limit", st.Size())
	}
}
