// Package camera lists the cameras of the machine it runs on, with the
// facts their drivers report, so the interviewer's app can name a virtual
// camera (v4l2loopback, akvcam, or a program's camera that only looks like
// one) as such instead of trusting its name.
//
// A face swapper reaches a video call through a virtual camera: a driver
// that shows whatever a program writes into it as a camera. Its name is
// chosen by whoever loads it ("OBS Virtual Camera", or just as easily
// "Integrated Camera"), but the driver behind it is not, so List reports
// both and says in Camera.Reason how much each piece of evidence is worth.
//
// # Linux
//
// List walks SysRoot/class/video4linux/videoN. From sysfs it reads the
// node's name, the driver module (the basename of device/driver/module, or
// of device/driver for a driver built into the kernel) and whether the
// node has a hardware parent at all. It then opens DevRoot/videoN
// read-only and non-blocking and asks VIDIOC_QUERYCAP for the V4L2 driver
// name, card, bus and capabilities: the node's own capabilities when the
// driver reports them (V4L2_CAP_DEVICE_CAPS, Linux 3.3 and later), else
// those of the whole device. Opening a node does not start streaming or turn on a camera's
// light; a USB camera may be woken from power saving while it is open.
// A node that cannot be opened (permissions, a missing /dev entry in a
// container, a driver that refuses another opener) is still listed from
// sysfs, with a Reason saying what could not be read.
//
// Index is N of /dev/videoN, the number OpenCV's VideoCapture opens. (The
// sysfs "index" attribute is something else: the node's number within its
// device, 1 for the metadata node of a UVC camera, so it is not read.)
//
// # Which nodes are listed
//
// A camera can own several nodes: a UVC camera has a capture node and a
// metadata node; codecs and output-only devices have nodes too. List
// returns a node when
//
//   - it can capture video (V4L2_CAP_VIDEO_CAPTURE or _MPLANE), or
//   - it is or may be virtual, even when it cannot capture right now: a
//     v4l2loopback device loaded with exclusive_caps=1 (as OBS loads it)
//     announces only video output until a program starts writing to it, so
//     an idle virtual camera would otherwise be missing, or
//   - its capabilities could not be read, so it cannot be ruled out.
//
// Nodes that answered and can only do something else (UVC metadata,
// memory-to-memory codecs, outputs of real hardware) are left out. The
// result is sorted by Index and is an empty, non-nil slice when there are
// no cameras, so it encodes as [] in JSON.
//
// # Evidence
//
// Camera.Virtual is set by any of the following; Reason gives each in
// words with its strength, strongest first.
//
//   - Strong: the driver is a virtual camera driver, shown by its V4L2
//     driver name ("v4l2 loopback" for v4l2loopback, "akvcam"), its kernel
//     module (v4l2loopback, v4l2loopback_dc from DroidCam, akvcam) or its
//     bus ("platform:v4l2loopback-000", "platform:akvcam-000"); the
//     kernel's own virtual test drivers vivid and vimc count too. These
//     strings are compiled into the driver; changing them takes a modified
//     driver.
//   - Moderate: the node has no hardware parent (it sits under
//     /sys/devices/virtual), as v4l2loopback's nodes do. A few real camera
//     drivers register that way too (the Raspberry Pi's legacy camera
//     driver), so this alone does not settle it. It matters most when the
//     node could not be opened.
//   - Weak: the sysfs name or the card matches the table of virtual cameras
//     in ingest/devices (devices.Match), which includes v4l2loopback's
//     default "Dummy video device (0x0000)" and "OBS Virtual Camera".
//     Names can be set to anything, so a match alone is weak, and a
//     camera whose name matches nothing is not thereby real.
//
// A camera with none of these is not marked virtual; that is not proof of
// hardware. A USB capture card or a phone or computer posing as a USB
// camera is real hardware to the driver, whatever it carries.
//
// # Other systems
//
// Windows and macOS are not implemented yet: List returns an error
// wrapping ErrUnsupported, and camera_windows.go and camera_darwin.go
// describe where the same facts live there.
//
// # Ownership and concurrency
//
// List starts no goroutines, keeps no state and retains nothing it is
// given; it is safe for concurrent use. Each call costs a directory walk,
// a few small sysfs reads and one open, ioctl and close per node: about
// 0.15 ms per node on the fake tree of BenchmarkList, more when a driver is
// slow to open (a USB camera waking from power saving).
package camera
