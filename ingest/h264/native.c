#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "native.h"

struct um_h264 {
	AVCodecContext *ctx;
	AVPacket *pkt;
	AVFrame *frame;  // last picture when have is set
	AVFrame *spare;  // receives pictures while draining
	int have;
	struct SwsContext *sws;
	uint8_t *buf;    // the access unit plus AV_INPUT_BUFFER_PADDING_SIZE zeros
	size_t cap;
	char msg[256];
};

um_h264 *um_h264_new(int64_t max_pixels) {
	const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_H264);
	if (codec == NULL) {
		return NULL;
	}
	um_h264 *d = calloc(1, sizeof *d);
	if (d == NULL) {
		return NULL;
	}
	d->ctx = avcodec_alloc_context3(codec);
	d->pkt = av_packet_alloc();
	d->frame = av_frame_alloc();
	d->spare = av_frame_alloc();
	if (d->ctx == NULL || d->pkt == NULL || d->frame == NULL || d->spare == NULL) {
		um_h264_free(d);
		return NULL;
	}
	// One thread and low delay: frame threading would hold back one
	// picture per thread, and each access unit must give its picture now.
	d->ctx->thread_count = 1;
	d->ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
	// Fail a slice with errors instead of concealing it, so that a damaged
	// access unit is reported and the caller waits for an IDR.
	d->ctx->err_recognition |= AV_EF_EXPLODE;
	d->ctx->max_pixels = max_pixels;
	// Hostile or lossy input makes libavcodec log an error per slice; push
	// this context's messages below the default level (AV_LOG_INFO) without
	// touching the process-wide level OpenCV also uses.
	d->ctx->log_level_offset = AV_LOG_TRACE;
	if (avcodec_open2(d->ctx, codec, NULL) < 0) {
		um_h264_free(d);
		return NULL;
	}
	return d;
}

// um_h264_flush drops reference pictures and anything buffered; parameter
// sets stay, so a sender that sends SPS/PPS only once still recovers.
void um_h264_flush(um_h264 *d) {
	av_frame_unref(d->frame);
	d->have = 0;
	avcodec_flush_buffers(d->ctx);
}

void um_h264_free(um_h264 *d) {
	if (d == NULL) {
		return;
	}
	avcodec_free_context(&d->ctx);
	av_packet_free(&d->pkt);
	av_frame_free(&d->frame);
	av_frame_free(&d->spare);
	sws_freeContext(d->sws);
	free(d->buf);
	free(d);
}

const char *um_h264_message(const um_h264 *d) { return d->msg; }

static void errmsg(um_h264 *d, const char *what, int err) {
	char e[AV_ERROR_MAX_STRING_SIZE] = {0};
	av_strerror(err, e, sizeof e);
	snprintf(d->msg, sizeof d->msg, "%s: %s", what, e);
}

um_h264_result um_h264_decode(um_h264 *d, const uint8_t *data, size_t size) {
	um_h264_result r = {UM_H264_ERROR, 0, 0};
	av_frame_unref(d->frame);
	d->have = 0;
	d->msg[0] = 0;
	// libavcodec may read past the end of the data: it must be padded.
	size_t need = size + AV_INPUT_BUFFER_PADDING_SIZE;
	if (need > d->cap) {
		uint8_t *b = realloc(d->buf, need);
		if (b == NULL) {
			snprintf(d->msg, sizeof d->msg, "out of memory");
			return r;
		}
		d->buf = b;
		d->cap = need;
	}
	memcpy(d->buf, data, size);
	memset(d->buf + size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
	d->pkt->data = d->buf;
	d->pkt->size = (int)size;
	int ret = avcodec_send_packet(d->ctx, d->pkt);
	d->pkt->data = NULL;
	d->pkt->size = 0;
	if (ret < 0) {
		errmsg(d, "send", ret);
		return r;
	}
	// Normally at most one picture; keep the last if a hostile access unit
	// holds several, so that nothing stays queued in the decoder.
	for (;;) {
		ret = avcodec_receive_frame(d->ctx, d->spare);
		if (ret == AVERROR(EAGAIN)) {
			break;
		}
		if (ret < 0) {
			av_frame_unref(d->frame);
			d->have = 0;
			errmsg(d, "receive", ret);
			return r;
		}
		av_frame_unref(d->frame);
		av_frame_move_ref(d->frame, d->spare);
		d->have = 1;
	}
	if (!d->have) {
		r.status = UM_H264_NO_PICTURE;
		return r;
	}
	AVFrame *f = d->frame;
	if (f->decode_error_flags != 0 || (f->flags & AV_FRAME_FLAG_CORRUPT)) {
		snprintf(d->msg, sizeof d->msg, "picture has concealed errors (flags %d)", f->decode_error_flags);
		r.status = UM_H264_CORRUPT;
		return r;
	}
	const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)f->format);
	if (desc == NULL || (desc->flags & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_PAL)) ||
	    f->data[0] == NULL || f->linesize[0] <= 0 || f->width <= 0 || f->height <= 0) {
		snprintf(d->msg, sizeof d->msg, "unexpected picture format %d", f->format);
		r.status = UM_H264_FORMAT;
		return r;
	}
	r.status = UM_H264_PICTURE;
	r.w = f->width;
	r.h = f->height;
	return r;
}

int um_h264_bgr(um_h264 *d, uint8_t *dst, int step) {
	AVFrame *f = d->frame;
	d->sws = sws_getCachedContext(d->sws, f->width, f->height, (enum AVPixelFormat)f->format, f->width,
	                              f->height, AV_PIX_FMT_BGR24, SWS_BILINEAR, NULL, NULL, NULL);
	if (d->sws == NULL) {
		snprintf(d->msg, sizeof d->msg, "swscale cannot convert pixel format %d", f->format);
		return -1;
	}
	uint8_t *planes[4] = {dst, NULL, NULL, NULL};
	int steps[4] = {step, 0, 0, 0};
	if (sws_scale(d->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, planes, steps) != f->height) {
		snprintf(d->msg, sizeof d->msg, "swscale failed");
		return -1;
	}
	return 0;
}
