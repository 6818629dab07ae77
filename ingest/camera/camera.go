package camera

// Camera is one local video device node and what its driver says about it.
type Camera struct {
	// Device is the node's path, such as /dev/video0.
	Device string `json:"device"`
	// Index is N of /dev/videoN, the number OpenCV's VideoCapture opens.
	Index int `json:"index"`
	// Name is the name the kernel gives the node in sysfs; for a virtual
	// camera it is whatever its owner chose.
	Name string `json:"name"`
	// Driver is the V4L2 driver name from VIDIOC_QUERYCAP, such as
	// "uvcvideo" or "v4l2 loopback"; empty when the node could not be read.
	Driver string `json:"driver"`
	// Card is the driver's name for the device (VIDIOC_QUERYCAP).
	Card string `json:"card"`
	// BusInfo says where the device is attached, such as
	// "usb-0000:00:14.0-8" or "platform:v4l2loopback-000".
	BusInfo string `json:"busInfo"`
	// Module is the kernel module (or built-in driver) that sysfs names
	// for the device; empty when the node has no parent device, as
	// v4l2loopback's nodes do.
	Module string `json:"module"`
	// Capture reports whether the node can capture video now. False both
	// for nodes that cannot and for nodes that could not be read.
	Capture bool `json:"capture"`
	// Virtual reports whether there is any evidence that a program rather
	// than a sensor feeds the node.
	Virtual bool `json:"virtual"`
	// Reason says, for the interviewer, why the node is or may be virtual
	// and how strong each piece of evidence is, and what could not be
	// read; empty for a node that answered and showed nothing virtual.
	Reason string `json:"reason"`
}

// Config says where List looks. The zero value means the running system;
// tests point it at a fake tree.
type Config struct {
	// SysRoot is where sysfs is mounted; "" means "/sys".
	SysRoot string
	// DevRoot is the directory of device nodes; "" means "/dev".
	DevRoot string
}
