package camera_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/camera"
)

const usbParent = "devices/pci0000:00/0000:00:14.0/usb1/1-8/1-8:1.0"

// laptop is a machine with a built-in UVC camera (capture and metadata
// nodes), v4l2loopback devices under their default name and under the
// name OBS gives them, an akvcam camera, a platform camera, a codec, a
// camera that cannot be opened, and class entries that are not videoN.
var laptop = []node{
	{name: "video0", label: "Integrated Camera: Integrated C", parent: usbParent, driver: "uvcvideo", module: "uvcvideo",
		reply: reply("uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8",
			capVideoCapture|capMetaCapture|capStreaming|capExtPixFormat, capVideoCapture|capStreaming|capExtPixFormat)},
	{name: "video1", label: "Integrated Camera: Integrated C", parent: usbParent, driver: "uvcvideo", module: "uvcvideo",
		reply: reply("uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8",
			capVideoCapture|capMetaCapture|capStreaming|capExtPixFormat, capMetaCapture|capStreaming|capExtPixFormat)},
	{name: "video2", label: "Dummy video device (0x0000)",
		reply: reply("v4l2 loopback", "Dummy video device (0x0000)", "platform:v4l2loopback-000",
			capVideoCapture|capVideoOutput|capReadWrite|capStreaming, capVideoCapture|capVideoOutput|capReadWrite|capStreaming)},
	// exclusive_caps=1 and nothing writing yet: output only.
	{name: "video3", label: "OBS Virtual Camera",
		reply: reply("v4l2 loopback", "OBS Virtual Camera", "platform:v4l2loopback-003",
			capVideoOutput|capReadWrite|capStreaming, capVideoOutput|capReadWrite|capStreaming)},
	{name: "video4", label: "USB2.0 HD UVC WebCam", parent: "devices/pci0000:00/0000:00:14.0/usb1/1-6/1-6:1.0", driver: "uvcvideo", module: "uvcvideo",
		err: fmt.Errorf("open: %w", syscall.EACCES)},
	{name: "video5", label: "OBS Virtual Camera", err: fmt.Errorf("open: %w", syscall.EBUSY)},
	// A camera behind an ISP: multi-planar capture, built-in driver.
	{name: "video7", label: "rkisp1_mainpath", parent: "devices/platform/ff910000.isp", driver: "rkisp1",
		reply: reply("rkisp1", "rkisp1", "platform:rkisp1", capVideoCaptureMplane|capStreaming|capExtPixFormat, capVideoCaptureMplane|capStreaming|capExtPixFormat)},
	{name: "video10", label: "bcm2835-codec-decode", parent: "devices/platform/bcm2835-codec", driver: "bcm2835-codec", module: "bcm2835_codec",
		reply: reply("bcm2835-codec", "bcm2835-codec-decode", "platform:bcm2835-codec", capVideoM2MMplane|capStreaming, capVideoM2MMplane|capStreaming)},
	{name: "video12", label: "AkVCam Virtual Camera",
		reply: reply("akvcam", "AkVCam Virtual Camera", "platform:akvcam-012", capVideoCapture|capStreaming, capVideoCapture|capStreaming)},
	// Real hardware whose name was changed to a virtual camera's.
	{name: "video13", label: "OBS Virtual Camera", parent: "devices/pci0000:00/0000:00:14.0/usb1/1-9/1-9:1.0", driver: "uvcvideo", module: "uvcvideo",
		reply: reply("uvcvideo", "OBS Virtual Camera", "usb-0000:00:14.0-9", capVideoCapture|capStreaming, capVideoCapture|capStreaming)},
	{name: "vbi0", label: "vbi", reply: reply("saa7134", "vbi", "PCI:0000:03:00.0", 0x10, 0x10)},
	{name: "v4l-subdev0", label: "imx219 10-0010"},
	{name: "videoX", label: "not a node"},
}

// listCase is what List must say about one node: every field but Reason
// exactly, and Reason by the phrases it must and must not contain.
type listCase struct {
	want   camera.Camera
	has    []string
	hasNot []string
}

func laptopWant(dev string) []listCase {
	d := func(name string) string { return filepath.Join(dev, name) }
	return []listCase{
		{want: camera.Camera{Device: d("video0"), Index: 0, Name: "Integrated Camera: Integrated C", Driver: "uvcvideo",
			Card: "Integrated Camera: Integrated C", BusInfo: "usb-0000:00:14.0-8", Module: "uvcvideo", Capture: true}},
		{want: camera.Camera{Device: d("video2"), Index: 2, Name: "Dummy video device (0x0000)", Driver: "v4l2 loopback",
			Card: "Dummy video device (0x0000)", BusInfo: "platform:v4l2loopback-000", Capture: true, Virtual: true},
			has:    []string{`Driver "v4l2 loopback" and bus "platform:v4l2loopback-000" belong to v4l2loopback`, "strong evidence that this camera is virtual."},
			hasNot: []string{"weak", "moderate", "Could not read"}},
		{want: camera.Camera{Device: d("video3"), Index: 3, Name: "OBS Virtual Camera", Driver: "v4l2 loopback",
			Card: "OBS Virtual Camera", BusInfo: "platform:v4l2loopback-003", Virtual: true},
			has:    []string{"belong to v4l2loopback", "strong evidence", `Its name "OBS Virtual Camera" points to OBS Studio.`},
			hasNot: []string{"weak", "moderate"}},
		{want: camera.Camera{Device: d("video4"), Index: 4, Name: "USB2.0 HD UVC WebCam", Module: "uvcvideo"},
			has:    []string{"Could not read " + d("video4") + " (open: permission denied), so only sysfs was checked."},
			hasNot: []string{"evidence"}},
		{want: camera.Camera{Device: d("video5"), Index: 5, Name: "OBS Virtual Camera", Virtual: true},
			has:    []string{"/sys/devices/virtual", "moderate evidence", `Its name "OBS Virtual Camera" is on the list of virtual cameras (OBS Studio): weak evidence`, "(open: device or resource busy)"},
			hasNot: []string{"strong"}},
		{want: camera.Camera{Device: d("video7"), Index: 7, Name: "rkisp1_mainpath", Driver: "rkisp1", Card: "rkisp1",
			BusInfo: "platform:rkisp1", Module: "rkisp1", Capture: true}},
		{want: camera.Camera{Device: d("video12"), Index: 12, Name: "AkVCam Virtual Camera", Driver: "akvcam",
			Card: "AkVCam Virtual Camera", BusInfo: "platform:akvcam-012", Capture: true, Virtual: true},
			has:    []string{`Driver "akvcam" and bus "platform:akvcam-012" belong to akvcam`, "strong evidence"},
			hasNot: []string{"weak", "name"}},
		{want: camera.Camera{Device: d("video13"), Index: 13, Name: "OBS Virtual Camera", Driver: "uvcvideo",
			Card: "OBS Virtual Camera", BusInfo: "usb-0000:00:14.0-9", Module: "uvcvideo", Capture: true, Virtual: true},
			has:    []string{`Its name "OBS Virtual Camera" is on the list of virtual cameras (OBS Studio): weak evidence`},
			hasNot: []string{"strong", "moderate"}},
	}
}

func checkList(t *testing.T, got []camera.Camera, want []listCase) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d cameras, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		t.Run(filepath.Base(w.want.Device), func(t *testing.T) {
			reason := g.Reason
			t.Logf("reason: %s", reason)
			g.Reason = ""
			if g != w.want {
				t.Errorf("got  %+v\nwant %+v", g, w.want)
			}
			for _, s := range w.has {
				if !strings.Contains(reason, s) {
					t.Errorf("reason %q lacks %q", reason, s)
				}
			}
			for _, s := range w.hasNot {
				if strings.Contains(reason, s) {
					t.Errorf("reason %q has %q", reason, s)
				}
			}
			if len(w.has) == 0 && reason != "" {
				t.Errorf("reason %q, want none", reason)
			}
		})
	}
}

func TestList(t *testing.T) {
	m := newFakeMachine(t, laptop)
	got, err := camera.ListWithQuery(m.config(), m.query)
	if err != nil {
		t.Fatal(err)
	}
	checkList(t, got, laptopWant(m.dev))
}

// TestListDefaultDevRoot checks that an empty DevRoot queries /dev.
func TestListDefaultDevRoot(t *testing.T) {
	m := newFakeMachine(t, laptop[:1])
	var asked []string
	_, err := camera.ListWithQuery(camera.Config{SysRoot: m.sys}, func(path string) ([]byte, error) {
		asked = append(asked, path)
		return m.nodes[filepath.Join(m.dev, filepath.Base(path))].reply, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/dev/video0"}; !slices.Equal(asked, want) {
		t.Fatalf("queried %q, want %q", asked, want)
	}
}

// TestListBadReply checks that a reply of the wrong size is reported like
// an unreadable node, not trusted and not a failure of List.
func TestListBadReply(t *testing.T) {
	m := newFakeMachine(t, []node{{name: "video0", label: "Camera", reply: []byte{1, 2, 3}}})
	got, err := camera.ListWithQuery(m.config(), m.query)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Capture || !strings.Contains(got[0].Reason, "wrong size") {
		t.Fatalf("got %+v, want one camera whose reason says the reply has the wrong size", got)
	}
}

// TestListIoctlOnFiles runs the real open and VIDIOC_QUERYCAP on the fake
// tree, whose /dev nodes are regular files: every node is listed from
// sysfs alone, with the error in its reason, and the v4l2loopback nodes
// are still caught by sysfs (no hardware parent) and their names.
func TestListIoctlOnFiles(t *testing.T) {
	nodes := slices.Clone(laptop)
	nodes = append(nodes, node{name: "video20", label: "Gone Camera", parent: usbParent, driver: "uvcvideo", module: "uvcvideo", noDev: true})
	m := newFakeMachine(t, nodes)
	got, err := camera.List(m.config())
	if err != nil {
		t.Fatal(err)
	}
	var idx []int
	for _, c := range got {
		idx = append(idx, c.Index)
		if c.Capture || c.Driver != "" || c.Card != "" || c.BusInfo != "" {
			t.Errorf("%s: driver facts from a regular file: %+v", c.Device, c)
		}
		want := "not a V4L2 device"
		if c.Index == 20 {
			want = "no such file or directory"
		}
		if !strings.Contains(c.Reason, want) {
			t.Errorf("%s: reason %q lacks %q", c.Device, c.Reason, want)
		}
		wantVirtual := c.Index == 2 || c.Index == 3 || c.Index == 5 || c.Index == 12 || c.Index == 13
		if c.Virtual != wantVirtual {
			t.Errorf("%s: virtual %v, want %v (reason %q)", c.Device, c.Virtual, wantVirtual, c.Reason)
		}
	}
	if want := []int{0, 1, 2, 3, 4, 5, 7, 10, 12, 13, 20}; !slices.Equal(idx, want) {
		t.Fatalf("indexes %v, want %v", idx, want)
	}
}

// TestListUnreadableNode opens a real node without permission. Root
// ignores file permissions, so the test needs an ordinary user.
func TestListUnreadableNode(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which may open any file")
	}
	m := newFakeMachine(t, laptop[:1])
	if err := os.Chmod(filepath.Join(m.dev, "video0"), 0); err != nil {
		t.Fatal(err)
	}
	got, err := camera.List(m.config())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(got[0].Reason, "permission denied") || got[0].Module != "uvcvideo" {
		t.Fatalf("got %+v, want the camera from sysfs with permission denied in its reason", got)
	}
}

func TestListNoCameras(t *testing.T) {
	root := t.TempDir()
	mkdir(t, filepath.Join(root, "class", "net"))
	got, err := camera.List(camera.Config{SysRoot: root, DevRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Fatalf("got %#v, want an empty non-nil slice", got)
	}
	b, _ := json.Marshal(got)
	if string(b) != "[]" {
		t.Fatalf("JSON %s, want []", b)
	}
}

func TestListNoSysfs(t *testing.T) {
	_, err := camera.List(camera.Config{SysRoot: filepath.Join(t.TempDir(), "missing")})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "sysfs not found") {
		t.Fatalf("got %v, want sysfs not found wrapping fs.ErrNotExist", err)
	}
}

func TestListNoDeviceDirectory(t *testing.T) {
	m := newFakeMachine(t, laptop[:1])
	// An entry whose device directory vanished (unplugged mid-walk).
	if err := os.Symlink("../../devices/gone/video4linux/video9", filepath.Join(m.sys, "class", "video4linux", "video9")); err != nil {
		t.Fatal(err)
	}
	got, err := camera.ListWithQuery(m.config(), m.query)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Index != 0 {
		t.Fatalf("got %+v, want only video0", got)
	}
}

// TestListConcurrent runs List from several goroutines (with -race): the
// same answer for all, within a time limit, and no goroutine left behind.
func TestListConcurrent(t *testing.T) {
	m := newFakeMachine(t, laptop)
	before := runtime.NumGoroutine()
	results := make([][]camera.Camera, 8)
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i], errs[i] = camera.ListWithQuery(m.config(), m.query) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("List calls did not return within 30 s")
	}
	for i := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !slices.Equal(results[i], results[0]) {
			t.Fatalf("call %d listed %+v, call 0 %+v", i, results[i], results[0])
		}
	}
	checkList(t, results[0], laptopWant(m.dev))
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("goroutines: %d after, %d before", n, before)
	}
}

func TestCameraJSON(t *testing.T) {
	b, err := json.Marshal(camera.Camera{Device: "/dev/video2", Index: 2, Virtual: true})
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	want := []string{"busInfo", "capture", "card", "device", "driver", "index", "module", "name", "reason", "virtual"}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("JSON keys %v, want %v", got, want)
	}
}

// TestListThisMachine lists the real cameras when there are any.
func TestListThisMachine(t *testing.T) {
	nodes, _ := filepath.Glob("/dev/video*")
	if len(nodes) == 0 {
		t.Skip("no /dev/video* on this machine: no real cameras to list")
	}
	got, err := camera.List(camera.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got {
		t.Logf("%s %q driver %q card %q bus %q module %q capture %v virtual %v: %s",
			c.Device, c.Name, c.Driver, c.Card, c.BusInfo, c.Module, c.Capture, c.Virtual, c.Reason)
		if c.Device != fmt.Sprintf("/dev/video%d", c.Index) {
			t.Errorf("device %s does not match index %d", c.Device, c.Index)
		}
		if i > 0 && got[i-1].Index >= c.Index {
			t.Errorf("not sorted by index: %d before %d", got[i-1].Index, c.Index)
		}
		if !c.Capture && !c.Virtual && c.Reason == "" {
			t.Errorf("%s listed though it neither captures, nor may be virtual, nor was unreadable", c.Device)
		}
	}
}
