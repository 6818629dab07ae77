#include <opencv2/core/utils/logger.hpp>

#include "opencvlog.h"

void um_video_opencv_log_errors_only(void) {
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
}
