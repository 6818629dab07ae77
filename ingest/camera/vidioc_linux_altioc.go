//go:build linux && (mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || sparc64)

package camera

// vidiocQuerycap is VIDIOC_QUERYCAP, _IOR('V', 0, struct v4l2_capability),
// on MIPS, PowerPC and SPARC, whose ioctl numbers keep the direction in
// bits 29-31 with read = 2: 0x40000000 | 104<<16 | 'V'<<8 | 0 (as in
// golang.org/x/sys/unix, where RTC_RD_TIME is 0x40247009 on these and
// 0x80247009 elsewhere).
const vidiocQuerycap uintptr = 0x40685600
