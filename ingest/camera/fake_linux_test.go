package camera_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/unmaskhq/unmask/ingest/camera"
)

// Capability bits from linux/videodev2.h, as drivers report them.
const (
	capVideoCapture       = 0x00000001
	capVideoOutput        = 0x00000002
	capVideoCaptureMplane = 0x00001000
	capVideoM2MMplane     = 0x00004000
	capExtPixFormat       = 0x00200000
	capMetaCapture        = 0x00800000
	capReadWrite          = 0x01000000
	capStreaming          = 0x04000000
	capDeviceCaps         = 0x80000000
)

// reply builds a VIDIOC_QUERYCAP reply (struct v4l2_capability) in the
// machine's byte order. When deviceCaps is not zero, capabilities gets
// V4L2_CAP_DEVICE_CAPS as modern drivers set it.
func reply(driver, card, bus string, capabilities, deviceCaps uint32) []byte {
	b := make([]byte, 104)
	copy(b[0:15], driver)
	copy(b[16:47], card)
	copy(b[48:79], bus)
	ne := binary.NativeEndian
	ne.PutUint32(b[80:], 6<<16|8<<8) // version 6.8.0
	if deviceCaps != 0 {
		capabilities |= capDeviceCaps
	}
	ne.PutUint32(b[84:], capabilities)
	ne.PutUint32(b[88:], deviceCaps)
	return b
}

// node is one video4linux node of a fake machine.
type node struct {
	name   string // class entry: videoN, or vbiN and the like
	label  string // sysfs name attribute
	parent string // parent device under SysRoot; "" = a node with no parent (devices/virtual)
	driver string // bus/<bus>/drivers/<driver> the parent links to; "" = none
	module string // module the driver links to; "" = built in
	noDev  bool   // no /dev node
	reply  []byte // VIDIOC_QUERYCAP reply given by the fake query
	err    error  // or the error it returns
}

// fakeMachine is a sysfs and /dev tree in a temporary directory laid out
// like the kernel's: class entries are relative symlinks to the device
// directories, which link to their parent device, whose driver links to
// its module.
type fakeMachine struct {
	sys, dev string
	nodes    map[string]node // by /dev path
}

func newFakeMachine(tb testing.TB, nodes []node) *fakeMachine {
	tb.Helper()
	root := tb.TempDir()
	m := &fakeMachine{sys: filepath.Join(root, "sys"), dev: filepath.Join(root, "dev"), nodes: map[string]node{}}
	mkdir(tb, filepath.Join(m.sys, "class", "video4linux"))
	mkdir(tb, m.dev)
	for _, n := range nodes {
		var dir string
		if n.parent == "" {
			dir = filepath.Join(m.sys, "devices", "virtual", "video4linux", n.name)
		} else {
			parent := filepath.Join(m.sys, n.parent)
			dir = filepath.Join(parent, "video4linux", n.name)
			mkdir(tb, dir)
			symlink(tb, parent, filepath.Join(dir, "device"))
			if n.driver != "" {
				drv := filepath.Join(m.sys, "bus", "usb", "drivers", n.driver)
				mkdir(tb, drv)
				if _, err := os.Lstat(filepath.Join(parent, "driver")); err != nil {
					symlink(tb, drv, filepath.Join(parent, "driver"))
				}
				if n.module != "" {
					mod := filepath.Join(m.sys, "module", n.module)
					mkdir(tb, mod)
					if _, err := os.Lstat(filepath.Join(drv, "module")); err != nil {
						symlink(tb, mod, filepath.Join(drv, "module"))
					}
				}
			}
		}
		mkdir(tb, dir)
		write(tb, filepath.Join(dir, "name"), n.label+"\n")
		write(tb, filepath.Join(dir, "index"), "0\n")
		symlink(tb, dir, filepath.Join(m.sys, "class", "video4linux", n.name))
		path := filepath.Join(m.dev, n.name)
		if !n.noDev {
			write(tb, path, "")
		}
		m.nodes[path] = n
	}
	return m
}

// config points List at the fake tree.
func (m *fakeMachine) config() camera.Config {
	return camera.Config{SysRoot: m.sys, DevRoot: m.dev}
}

// query is the fake VIDIOC_QUERYCAP: the node's reply or error.
func (m *fakeMachine) query(path string) ([]byte, error) {
	n, ok := m.nodes[path]
	switch {
	case !ok || n.noDev:
		return nil, fmt.Errorf("open: %w", syscall.ENOENT)
	case n.err != nil:
		return nil, n.err
	}
	return append([]byte(nil), n.reply...), nil
}

func mkdir(tb testing.TB, dir string) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
}

func write(tb testing.TB, path, text string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// symlink makes link point at target with a relative path, as sysfs does.
func symlink(tb testing.TB, target, link string) {
	tb.Helper()
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(rel, link); err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(link); err != nil {
		tb.Fatalf("fake tree: %s does not resolve: %v", link, err)
	}
}
