#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "native.h"

struct um_vp8 {
	vpx_codec_ctx_t ctx;
	int ready;        // ctx is initialised
	vpx_image_t *img; // last picture; owned by ctx, valid until the next decode
	char msg[256];
};

static int init_ctx(um_vp8 *d) {
	// One thread: the other core runs the analysis stages, and libvpx only
	// threads VP8 across token partitions, which WebRTC senders rarely use.
	vpx_codec_dec_cfg_t cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.threads = 1;
	if (vpx_codec_dec_init(&d->ctx, vpx_codec_vp8_dx(), &cfg, 0) != VPX_CODEC_OK) {
		snprintf(d->msg, sizeof d->msg, "init: %s", vpx_codec_error(&d->ctx));
		d->ready = 0;
		return -1;
	}
	d->ready = 1;
	return 0;
}

um_vp8 *um_vp8_new(void) {
	um_vp8 *d = calloc(1, sizeof *d);
	if (d == NULL) {
		return NULL;
	}
	if (init_ctx(d) != 0) {
		free(d);
		return NULL;
	}
	return d;
}

// um_vp8_reset replaces the context with a fresh one, so nothing a broken
// frame left behind can influence the next keyframe.
int um_vp8_reset(um_vp8 *d) {
	d->img = NULL;
	if (d->ready) {
		vpx_codec_destroy(&d->ctx);
		d->ready = 0;
	}
	return init_ctx(d);
}

void um_vp8_free(um_vp8 *d) {
	if (d == NULL) {
		return;
	}
	if (d->ready) {
		vpx_codec_destroy(&d->ctx);
	}
	free(d);
}

const char *um_vp8_message(const um_vp8 *d) { return d->msg; }

um_vp8_result um_vp8_decode(um_vp8 *d, const uint8_t *data, size_t size) {
	um_vp8_result r = {UM_VP8_ERROR, 0, 0};
	d->img = NULL;
	d->msg[0] = 0;
	if (!d->ready && init_ctx(d) != 0) {
		return r;
	}
	if (vpx_codec_decode(&d->ctx, data, (unsigned int)size, NULL, 0) != VPX_CODEC_OK) {
		const char *detail = vpx_codec_error_detail(&d->ctx);
		snprintf(d->msg, sizeof d->msg, "%s%s%s", vpx_codec_error(&d->ctx),
		         detail ? ": " : "", detail ? detail : "");
		return r;
	}
	// libvpx does not fail a frame whose last partition is cut short; it
	// reads zeros past the end and only raises this flag.
	int corrupted = 0;
	if (vpx_codec_control(&d->ctx, VP8D_GET_FRAME_CORRUPTED, &corrupted) == VPX_CODEC_OK && corrupted) {
		snprintf(d->msg, sizeof d->msg, "libvpx flagged the frame as corrupted");
		r.status = UM_VP8_CORRUPT;
		return r;
	}
	vpx_codec_iter_t it = NULL;
	vpx_image_t *img = vpx_codec_get_frame(&d->ctx, &it);
	if (img == NULL) {
		r.status = UM_VP8_NO_PICTURE;
		return r;
	}
	if (img->fmt != VPX_IMG_FMT_I420 || img->x_chroma_shift != 1 || img->y_chroma_shift != 1 ||
	    img->planes[0] == NULL || img->planes[1] == NULL || img->planes[2] == NULL ||
	    img->stride[0] <= 0 || img->stride[1] <= 0 || img->stride[2] <= 0) {
		snprintf(d->msg, sizeof d->msg, "unexpected picture format %d", (int)img->fmt);
		r.status = UM_VP8_FORMAT;
		return r;
	}
	d->img = img;
	r.status = UM_VP8_PICTURE;
	r.w = (int)img->d_w;
	r.h = (int)img->d_h;
	return r;
}

// BT.601 limited range in 20-bit fixed point, the constants and rounding of
// OpenCV's COLOR_YUV2BGR_I420, so both converters give the same pixels.
enum {
	CY = 1220542,
	CUB = 2116026,
	CUG = -409993,
	CVG = -852492,
	CVR = 1673527,
	SHIFT = 20,
	HALF = 1 << (SHIFT - 1)
};

static inline uint8_t clip8(int v) { return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v)); }

static inline void put(uint8_t *p, int y, int ruv, int guv, int buv) {
	int a = (y > 16 ? y - 16 : 0) * CY;
	p[0] = clip8((a + buv) >> SHIFT);
	p[1] = clip8((a + guv) >> SHIFT);
	p[2] = clip8((a + ruv) >> SHIFT);
}

// rows converts two luma rows sharing one chroma row. For the last row of
// an odd height y1 == y0 and d1 == d0: the same pixels are written twice.
static void rows(const uint8_t *restrict y0, const uint8_t *restrict y1, const uint8_t *restrict u,
                 const uint8_t *restrict v, uint8_t *d0, uint8_t *d1, int w) {
	int i = 0;
	for (; i + 1 < w; i += 2) {
		int cu = (int)u[i >> 1] - 128, cv = (int)v[i >> 1] - 128;
		int ruv = HALF + CVR * cv, guv = HALF + CVG * cv + CUG * cu, buv = HALF + CUB * cu;
		put(d0 + 3 * i, y0[i], ruv, guv, buv);
		put(d0 + 3 * i + 3, y0[i + 1], ruv, guv, buv);
		put(d1 + 3 * i, y1[i], ruv, guv, buv);
		put(d1 + 3 * i + 3, y1[i + 1], ruv, guv, buv);
	}
	if (i < w) { // odd width: last column has its own chroma sample
		int cu = (int)u[i >> 1] - 128, cv = (int)v[i >> 1] - 128;
		int ruv = HALF + CVR * cv, guv = HALF + CVG * cv + CUG * cu, buv = HALF + CUB * cu;
		put(d0 + 3 * i, y0[i], ruv, guv, buv);
		put(d1 + 3 * i, y1[i], ruv, guv, buv);
	}
}

// um_vp8_bgr writes the last picture as packed BGR rows of step bytes.
void um_vp8_bgr(const um_vp8 *d, uint8_t *dst, int step) {
	const vpx_image_t *img = d->img;
	int w = (int)img->d_w, h = (int)img->d_h;
	const uint8_t *y = img->planes[0], *u = img->planes[1], *v = img->planes[2];
	int ys = img->stride[0], us = img->stride[1], vs = img->stride[2];
	int j = 0;
	for (; j + 1 < h; j += 2) {
		rows(y + (size_t)j * ys, y + (size_t)(j + 1) * ys, u + (size_t)(j >> 1) * us,
		     v + (size_t)(j >> 1) * vs, dst + (size_t)j * step, dst + (size_t)(j + 1) * step, w);
	}
	if (j < h) {
		rows(y + (size_t)j * ys, y + (size_t)j * ys, u + (size_t)(j >> 1) * us, v + (size_t)(j >> 1) * vs,
		     dst + (size_t)j * step, dst + (size_t)j * step, w);
	}
}

// um_vp8_i420 packs the last picture's planes without padding, the layout
// OpenCV's COLOR_YUV2BGR_I420 expects. Even sizes only.
void um_vp8_i420(const um_vp8 *d, uint8_t *dst) {
	const vpx_image_t *img = d->img;
	int w = (int)img->d_w, h = (int)img->d_h;
	for (int j = 0; j < h; j++) {
		memcpy(dst, img->planes[0] + (size_t)j * img->stride[0], (size_t)w);
		dst += w;
	}
	for (int p = 1; p <= 2; p++) {
		for (int j = 0; j < h / 2; j++) {
			memcpy(dst, img->planes[p] + (size_t)j * img->stride[p], (size_t)(w / 2));
			dst += w / 2;
		}
	}
}
