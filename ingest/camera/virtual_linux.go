package camera

import (
	"fmt"
	"strings"

	"github.com/unmaskhq/unmask/ingest/devices"
)

// virtualDriver is a kernel driver whose video nodes show what a program
// (or the driver itself) makes rather than what a sensor sees. Each field
// is compiled into the driver; an empty field is not checked.
type virtualDriver struct {
	module    string // kernel module, from sysfs
	driver    string // driver field of VIDIOC_QUERYCAP
	busPrefix string // start of the bus_info field
	what      string // for the interviewer
}

// virtualDrivers is checked in order; the first driver with a matching
// fact wins. DroidCam's module comes first: it is built from
// v4l2loopback's source and may answer with the same driver name, so its
// module is what tells it apart. The strings come from each driver's
// vidioc_querycap (v4l2loopback.c, akvcam's ioctl_ops.c, vivid-core.c,
// vimc-capture.c).
var virtualDrivers = []virtualDriver{
	{module: "v4l2loopback_dc",
		what: "DroidCam's copy of v4l2loopback, a kernel module that shows whatever a program writes into it as a camera"},
	{module: "v4l2loopback", driver: "v4l2 loopback", busPrefix: "platform:v4l2loopback",
		what: "v4l2loopback, a kernel module that shows whatever a program writes into it (OBS, ffmpeg, a face-swap script) as a camera"},
	{module: "akvcam", driver: "akvcam", busPrefix: "platform:akvcam",
		what: "akvcam, Webcamoid's virtual camera driver, which shows whatever a program writes into it as a camera"},
	{module: "vivid", driver: "vivid", busPrefix: "platform:vivid",
		what: "vivid, the kernel's virtual test camera"},
	{module: "vimc", driver: "vimc", busPrefix: "platform:vimc",
		what: "vimc, the kernel's virtual camera pipeline for testing"},
}

// facts are what judge needs beyond the Camera's own fields.
type facts struct {
	noParent bool   // the node sits under /sys/devices/virtual
	unread   string // why the node could not be queried; "" if it was
}

// judge sets cam.Virtual and cam.Reason from the driver facts in cam and
// f. Reason is sentences, strongest evidence first, then what could not be
// read.
func judge(cam *Camera, f facts) {
	var says []string
	vd, strong := matchDriver(*cam)
	switch {
	case strong:
		says = append(says, fmt.Sprintf("%s %s: strong evidence that this camera is virtual.", sayBelongs(driverFacts(*cam, vd)), vd.what))
	case f.noParent:
		says = append(says, "It has no hardware behind it in sysfs (it sits under /sys/devices/virtual, as v4l2loopback's cameras do): moderate evidence, since a few real camera drivers register that way too.")
	}
	if label, p, ok := matchName(*cam); ok {
		switch {
		case !strong:
			says = append(says, fmt.Sprintf("Its name %q is on the list of virtual cameras (%s): weak evidence on its own, since a name can be changed.", label, p.Name))
		case specific(p) && !strings.EqualFold(p.Name, vd.module):
			// The driver settles it; a specific name says which program.
			says = append(says, fmt.Sprintf("Its name %q points to %s.", label, p.Name))
		}
	}
	cam.Virtual = len(says) > 0
	if f.unread != "" {
		says = append(says, f.unread)
	}
	cam.Reason = strings.Join(says, " ")
}

// matchDriver returns the first virtual driver that cam's driver name,
// module or bus matches.
func matchDriver(cam Camera) (virtualDriver, bool) {
	for _, vd := range virtualDrivers {
		if vd.module != "" && cam.Module == vd.module ||
			vd.driver != "" && cam.Driver == vd.driver ||
			vd.busPrefix != "" && strings.HasPrefix(cam.BusInfo, vd.busPrefix) {
			return vd, true
		}
	}
	return virtualDriver{}, false
}

// driverFacts lists the facts of cam that matched vd, such as
// [driver "v4l2 loopback", bus "platform:v4l2loopback-000"].
func driverFacts(cam Camera, vd virtualDriver) []string {
	var found []string
	if vd.driver != "" && cam.Driver == vd.driver {
		found = append(found, fmt.Sprintf("driver %q", cam.Driver))
	}
	if vd.module != "" && cam.Module == vd.module {
		found = append(found, fmt.Sprintf("module %q", cam.Module))
	}
	if vd.busPrefix != "" && strings.HasPrefix(cam.BusInfo, vd.busPrefix) {
		found = append(found, fmt.Sprintf("bus %q", cam.BusInfo))
	}
	return found
}

// sayBelongs starts a sentence with facts and their verb: `Driver "x"
// belongs to`, `Driver "x" and bus "y" belong to`.
func sayBelongs(facts []string) string {
	var s string
	switch len(facts) {
	case 0:
		s = "Its driver belongs to"
	case 1:
		s = facts[0] + " belongs to"
	default:
		s = strings.Join(facts[:len(facts)-1], ", ") + " and " + facts[len(facts)-1] + " belong to"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// matchName matches the sysfs name, then the card, against the table of
// virtual cameras in ingest/devices.
func matchName(cam Camera) (string, devices.Product, bool) {
	for _, label := range []string{cam.Name, cam.Card} {
		if p, ok := devices.Match(devices.Camera, label); ok {
			return label, p, true
		}
	}
	return "", devices.Product{}, false
}

// specific reports whether p names a program rather than a word that many
// names contain (the table's last rows, patterns such as "virtual*").
func specific(p devices.Product) bool {
	for _, pat := range p.Patterns {
		if !strings.HasSuffix(pat, "*") {
			return true
		}
	}
	return false
}
