// C side of the H.264 decoder: a libavcodec context plus conversion to BGR.
#ifndef UNMASK_H264_NATIVE_H
#define UNMASK_H264_NATIVE_H

#include <stddef.h>
#include <stdint.h>

typedef struct um_h264 um_h264;

// Results of um_h264_decode.
enum {
	UM_H264_PICTURE = 0,    // a picture is ready for um_h264_bgr
	UM_H264_NO_PICTURE = 1, // accepted, no picture came out
	UM_H264_ERROR = 2,      // libavcodec rejected the access unit
	UM_H264_CORRUPT = 3,    // a picture came out with concealed errors
	UM_H264_FORMAT = 4      // the picture has no usable pixel format
};

// max_pixels bounds width*height; libavcodec refuses larger pictures
// before allocating them.
um_h264 *um_h264_new(int64_t max_pixels);
void um_h264_flush(um_h264 *d);
void um_h264_free(um_h264 *d);

// um_h264_result is returned by value so that Go passes no pointers.
typedef struct {
	int status; // one of UM_H264_*
	int w, h;   // picture size for UM_H264_PICTURE
} um_h264_result;

um_h264_result um_h264_decode(um_h264 *d, const uint8_t *data, size_t size);
const char *um_h264_message(const um_h264 *d);
// um_h264_bgr converts the last picture to packed BGR rows of step bytes
// with libswscale; 0 on success.
int um_h264_bgr(um_h264 *d, uint8_t *dst, int step);

#endif
