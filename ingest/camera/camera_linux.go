package camera

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// maxAttrSize bounds a sysfs attribute read; the kernel's are at most a
// page and a camera's name at most 31 bytes.
const maxAttrSize = 4096

// List returns the machine's V4L2 video nodes that are cameras or may be
// virtual cameras, sorted by Index, with their driver facts and a verdict
// on each (see the package documentation for which nodes are listed and
// how the verdict is reached). A node that cannot be opened is listed from
// sysfs with a Reason saying so, not returned as an error.
//
// List fails only when sysfs cannot be read: SysRoot/class is missing
// (sysfs not mounted; the error wraps fs.ErrNotExist) or the
// video4linux class cannot be listed. No video4linux class (no V4L2
// driver loaded) means no cameras: an empty slice and nil.
func List(cfg Config) ([]Camera, error) {
	return list(cfg, queryCapability)
}

// list is List with the VIDIOC_QUERYCAP step supplied by the caller.
func list(cfg Config, query queryFunc) ([]Camera, error) {
	sysRoot, devRoot := cfg.SysRoot, cfg.DevRoot
	if sysRoot == "" {
		sysRoot = "/sys"
	}
	if devRoot == "" {
		devRoot = "/dev"
	}
	classDir := filepath.Join(sysRoot, "class", "video4linux")
	entries, err := os.ReadDir(classDir)
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(sysRoot, "class")); err != nil {
			return nil, fmt.Errorf("camera: sysfs not found at %s: %w", sysRoot, err)
		}
		return []Camera{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("camera: list %s: %w", classDir, err)
	}

	// The resolved sysfs root, to tell whether a node's real directory
	// lies under devices/virtual. A failure only costs that evidence.
	realSys, _ := filepath.EvalSymlinks(sysRoot)

	cams := []Camera{}
	for _, e := range entries {
		index, ok := nodeIndex(e.Name())
		if !ok {
			continue // vbiN, radioN, v4l-subdevN, swradioN, v4l-touchN
		}
		node := filepath.Join(classDir, e.Name())
		dir, err := filepath.EvalSymlinks(node)
		if errors.Is(err, fs.ErrNotExist) {
			continue // unplugged since ReadDir
		}
		cam := Camera{
			Device: filepath.Join(devRoot, e.Name()),
			Index:  index,
			Name:   readAttr(filepath.Join(node, "name")),
			Module: moduleOf(node),
		}
		f := facts{noParent: err == nil && realSys != "" && underVirtual(realSys, dir)}

		raw, qerr := query(cam.Device)
		var c capability
		if qerr == nil {
			c, qerr = parseCapability(raw)
		}
		if qerr == nil {
			cam.Driver, cam.Card, cam.BusInfo = c.driver, c.card, c.busInfo
			cam.Capture = c.canCapture()
		} else {
			f.unread = fmt.Sprintf("Could not read %s (%v), so only sysfs was checked.", cam.Device, qerr)
		}
		judge(&cam, f)
		if cam.Capture || cam.Virtual || qerr != nil {
			cams = append(cams, cam)
		}
	}
	slices.SortFunc(cams, func(a, b Camera) int { return a.Index - b.Index })
	return cams, nil
}

// nodeIndex returns N for a class entry named videoN.
func nodeIndex(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "video")
	if !ok || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// readAttr returns a sysfs attribute's text, cleaned; "" when it cannot be
// read.
func readAttr(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxAttrSize))
	if err != nil {
		return ""
	}
	return cleanText(string(b))
}

// moduleOf names the kernel module behind a class node: the target of
// device/driver/module, or for a built-in driver the driver itself
// (device/driver). "" when the node has no parent device.
func moduleOf(node string) string {
	for _, link := range []string{"device/driver/module", "device/driver"} {
		if target, err := os.Readlink(filepath.Join(node, link)); err == nil {
			if name := cleanText(filepath.Base(target)); name != "." && name != "/" {
				return name
			}
		}
	}
	return ""
}

// underVirtual reports whether the resolved node directory dir lies under
// devices/virtual of the resolved sysfs root: a device with no hardware
// parent.
func underVirtual(sysRoot, dir string) bool {
	rel, err := filepath.Rel(sysRoot, dir)
	return err == nil && strings.HasPrefix(rel, filepath.Join("devices", "virtual")+string(filepath.Separator))
}
