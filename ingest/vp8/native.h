// C side of the VP8 decoder: a libvpx context plus I420 -> BGR conversion.
#ifndef UNMASK_VP8_NATIVE_H
#define UNMASK_VP8_NATIVE_H

#include <stddef.h>
#include <stdint.h>

typedef struct um_vp8 um_vp8;

// Results of um_vp8_decode.
enum {
	UM_VP8_PICTURE = 0,    // a picture is ready for um_vp8_bgr / um_vp8_i420
	UM_VP8_NO_PICTURE = 1, // decoded, nothing to show (show_frame = 0)
	UM_VP8_ERROR = 2,      // libvpx rejected the frame
	UM_VP8_CORRUPT = 3,    // libvpx decoded it but flagged it corrupted
	UM_VP8_FORMAT = 4      // the picture is not 8-bit I420
};

um_vp8 *um_vp8_new(void);
int um_vp8_reset(um_vp8 *d);
void um_vp8_free(um_vp8 *d);
// um_vp8_result is returned by value so that Go passes no pointers.
typedef struct {
	int status; // one of UM_VP8_*
	int w, h;   // picture size for UM_VP8_PICTURE
} um_vp8_result;

um_vp8_result um_vp8_decode(um_vp8 *d, const uint8_t *data, size_t size);
const char *um_vp8_message(const um_vp8 *d);
void um_vp8_bgr(const um_vp8 *d, uint8_t *dst, int step);
void um_vp8_i420(const um_vp8 *d, uint8_t *dst);

#endif
