//go:build linux && !(mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || sparc64)

package camera

// vidiocQuerycap is VIDIOC_QUERYCAP, _IOR('V', 0, struct v4l2_capability):
// direction read (2) in bits 30-31, size 104 (0x68) in bits 16-29, type
// 'V' (0x56) in bits 8-15, number 0. vidioc_linux_altioc.go has the value
// for the architectures that encode the direction differently.
const vidiocQuerycap uintptr = 0x80685600
