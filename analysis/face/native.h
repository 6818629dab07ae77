// native.h is the C interface over dlib and OpenCV's calib3d used by the
// face package. Images are passed as gocv's cv::Mat* (void* here) and read in
// place through dlib::cv_image: no pixel copies. Every function catches C++
// exceptions and reports them through err (a malloc'd string the caller
// frees), because an exception crossing into Go aborts the process.
#ifndef UNMASK_FACE_NATIVE_H
#define UNMASK_FACE_NATIVE_H
#ifdef __cplusplus
extern "C" {
#endif

typedef struct { double left, top, right, bottom, score; } um_rect;

// 68-point shape predictor. Predict is const in dlib, so one predictor may
// be shared by goroutines; Free must not race with Predict.
void* um_sp_load(const char* path, char** err);
int um_sp_predict(void* sp, void* gray_mat, um_rect box, double* xy136, char** err);
void um_sp_free(void* sp);

// HOG + linear SVM frontal face detector (dlib's get_frontal_face_detector).
// Detect keeps scratch state: one detector per goroutine.
void* um_hog_new(char** err);
int um_hog_detect(void* hog, void* gray_mat, int upsample, double adjust, um_rect* out, int max, char** err);
void um_hog_free(void* hog);

// DSST correlation tracker (dlib::correlation_tracker). Not safe for
// concurrent use.
void* um_ct_new(char** err);
int um_ct_start(void* ct, void* gray_mat, um_rect box, char** err);
// Update returns the peak-to-sidelobe ratio (< 0 on error) and the box.
// With scale 0 it searches position only (dlib's update_noscale).
double um_ct_update(void* ct, void* gray_mat, int scale, um_rect* box, char** err);
void um_ct_free(void* ct);

// Pose by cv::solvePnP (iterative, Levenberg-Marquardt from an EPnP start)
// of n model points (xyz) against image points (xy) with a pinhole camera.
// Writes yaw, pitch, roll in degrees and the RMS reprojection error in px.
int um_solve_pnp(const double* obj_xyz, const double* img_xy, int n,
                 double fx, double fy, double cx, double cy,
                 double* ypr_err4, char** err);

#ifdef __cplusplus
}
#endif
#endif
