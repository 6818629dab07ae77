// opencvlog.h: the one OpenCV call this package needs that gocv lacks.
#ifndef UNMASK_VIDEO_OPENCVLOG_H
#define UNMASK_VIDEO_OPENCVLOG_H

#ifdef __cplusplus
extern "C" {
#endif

// um_video_opencv_log_errors_only sets OpenCV's global log level to ERROR.
void um_video_opencv_log_errors_only(void);

#ifdef __cplusplus
}
#endif

#endif
