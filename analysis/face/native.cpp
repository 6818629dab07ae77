#include "native.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

namespace {

void set_err(char** err, const std::string& msg) {
    if (err) *err = strdup(msg.c_str());
}

// gray_view checks what OpenCV would otherwise assert on and returns a
// zero-copy dlib view of an 8-bit single-channel Mat.
bool gray_view(void* m, dlib::cv_image<unsigned char>* out, char** err) {
    const cv::Mat* mat = static_cast<const cv::Mat*>(m);
    if (mat == nullptr || mat->empty()) { set_err(err, "empty image"); return false; }
    if (mat->type() != CV_8UC1) { set_err(err, "image is not 8-bit grayscale"); return false; }
    *out = dlib::cv_image<unsigned char>(*mat);
    return true;
}

dlib::rectangle to_dlib(um_rect r) {
    return dlib::rectangle(std::lround(r.left), std::lround(r.top), std::lround(r.right), std::lround(r.bottom));
}

}  // namespace

extern "C" {

void* um_sp_load(const char* path, char** err) {
    try {
        auto* sp = new dlib::shape_predictor();
        dlib::deserialize(path) >> *sp;
        if (sp->num_parts() != 68) {
            set_err(err, "shape predictor has " + std::to_string(sp->num_parts()) + " parts, want 68");
            delete sp;
            return nullptr;
        }
        return sp;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error loading shape predictor");
    }
    return nullptr;
}

// kLandmarkSide is the face-box width the predictor works at. dlib
// returns integer pixel positions; on a 100 px face an eye is 4-5 px tall,
// so rounding alone moves the eye aspect ratio by 25%. Predicting on the
// face region upscaled to this width and mapping back makes the rounding
// step (box width / kLandmarkSide) px: 0.5 px for a 100 px face.
constexpr double kLandmarkSide = 200.0;

int um_sp_predict(void* sp, void* gray_mat, um_rect box, double* xy, char** err) {
    try {
        dlib::cv_image<unsigned char> img;
        if (!gray_view(gray_mat, &img, err)) return -1;
        const cv::Mat& gray = *static_cast<const cv::Mat*>(gray_mat);
        auto* p = static_cast<dlib::shape_predictor*>(sp);
        const double bw = box.right - box.left + 1;
        const double scale = kLandmarkSide / bw;
        if (scale <= 1.0) {
            dlib::full_object_detection d = (*p)(img, to_dlib(box));
            if (d.num_parts() != 68) { set_err(err, "predictor returned wrong number of parts"); return -1; }
            for (unsigned long i = 0; i < 68; ++i) {
                xy[2 * i] = d.part(i).x();
                xy[2 * i + 1] = d.part(i).y();
            }
            return 0;
        }
        // The region around the box (landmarks reach past dlib's tight box),
        // clipped to the image, upscaled into a per-thread scratch image.
        const double margin = 0.5 * bw;
        cv::Rect roi(cv::Point((int)std::floor(box.left - margin), (int)std::floor(box.top - margin)),
                     cv::Point((int)std::ceil(box.right + margin) + 1, (int)std::ceil(box.bottom + margin) + 1));
        roi &= cv::Rect(0, 0, gray.cols, gray.rows);
        if (roi.width < 2 || roi.height < 2) { set_err(err, "face box outside the image"); return -1; }
        thread_local cv::Mat scaled;
        cv::resize(gray(roi), scaled, cv::Size(), scale, scale, cv::INTER_LINEAR);
        dlib::cv_image<unsigned char> up(scaled);
        um_rect b{(box.left - roi.x) * scale, (box.top - roi.y) * scale, (box.right - roi.x) * scale, (box.bottom - roi.y) * scale, 0};
        dlib::full_object_detection d = (*p)(up, to_dlib(b));
        if (d.num_parts() != 68) { set_err(err, "predictor returned wrong number of parts"); return -1; }
        for (unsigned long i = 0; i < 68; ++i) {
            // +0.5 px centre convention on both sides of the resize.
            xy[2 * i] = (d.part(i).x() + 0.5) / scale - 0.5 + roi.x;
            xy[2 * i + 1] = (d.part(i).y() + 0.5) / scale - 0.5 + roi.y;
        }
        return 0;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error in shape predictor");
    }
    return -1;
}

void um_sp_free(void* sp) { delete static_cast<dlib::shape_predictor*>(sp); }

void* um_hog_new(char** err) {
    try {
        return new dlib::frontal_face_detector(dlib::get_frontal_face_detector());
    } catch (const std::exception& e) {
        set_err(err, e.what());
    }
    return nullptr;
}

int um_hog_detect(void* hog, void* gray_mat, int upsample, double adjust, um_rect* out, int max, char** err) {
    try {
        dlib::cv_image<unsigned char> img;
        if (!gray_view(gray_mat, &img, err)) return -1;
        auto* det = static_cast<dlib::frontal_face_detector*>(hog);
        std::vector<dlib::rect_detection> dets;
        if (upsample > 0) {
            // pyramid_up doubles the image: finds faces down to ~40 px.
            dlib::array2d<unsigned char> up;
            dlib::assign_image(up, img);
            for (int i = 0; i < upsample; ++i) dlib::pyramid_up(up);
            (*det)(up, dets, adjust);
            const double s = std::pow(2.0, upsample);
            for (auto& d : dets) d.rect = dlib::rectangle(d.rect.left() / s, d.rect.top() / s, d.rect.right() / s, d.rect.bottom() / s);
        } else {
            (*det)(img, dets, adjust);
        }
        int n = 0;
        for (const auto& d : dets) {
            if (n >= max) break;
            out[n++] = um_rect{(double)d.rect.left(), (double)d.rect.top(), (double)d.rect.right(), (double)d.rect.bottom(), d.detection_confidence};
        }
        return n;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error in HOG detector");
    }
    return -1;
}

void um_hog_free(void* hog) { delete static_cast<dlib::frontal_face_detector*>(hog); }

void* um_ct_new(char** err) {
    try {
        return new dlib::correlation_tracker();
    } catch (const std::exception& e) {
        set_err(err, e.what());
    }
    return nullptr;
}

int um_ct_start(void* ct, void* gray_mat, um_rect box, char** err) {
    try {
        dlib::cv_image<unsigned char> img;
        if (!gray_view(gray_mat, &img, err)) return -1;
        static_cast<dlib::correlation_tracker*>(ct)->start_track(img, dlib::drectangle(box.left, box.top, box.right, box.bottom));
        return 0;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error starting tracker");
    }
    return -1;
}

double um_ct_update(void* ct, void* gray_mat, int scale, um_rect* box, char** err) {
    try {
        dlib::cv_image<unsigned char> img;
        if (!gray_view(gray_mat, &img, err)) return -1;
        auto* t = static_cast<dlib::correlation_tracker*>(ct);
        const double psr = scale ? t->update(img) : t->update_noscale(img);
        const dlib::drectangle r = t->get_position();
        *box = um_rect{r.left(), r.top(), r.right(), r.bottom(), psr};
        return psr;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error updating tracker");
    }
    return -1;
}

void um_ct_free(void* ct) { delete static_cast<dlib::correlation_tracker*>(ct); }

int um_solve_pnp(const double* obj, const double* img, int n, double fx, double fy, double cx, double cy,
                 double* out, char** err) {
    try {
        if (n < 6) { set_err(err, "solvePnP needs at least 6 points"); return -1; }
        std::vector<cv::Point3d> o(n);
        std::vector<cv::Point2d> p(n);
        for (int i = 0; i < n; ++i) {
            o[i] = cv::Point3d(obj[3 * i], obj[3 * i + 1], obj[3 * i + 2]);
            p[i] = cv::Point2d(img[2 * i], img[2 * i + 1]);
        }
        cv::Matx33d K(fx, 0, cx, 0, fy, cy, 0, 0, 1);
        cv::Mat rvec, tvec;
        // EPnP gives a start free of the iterative solver's local minima,
        // then Levenberg-Marquardt refines it.
        if (!cv::solvePnP(o, p, K, cv::noArray(), rvec, tvec, false, cv::SOLVEPNP_EPNP)) {
            set_err(err, "solvePnP (EPnP) failed");
            return -1;
        }
        cv::solvePnP(o, p, K, cv::noArray(), rvec, tvec, true, cv::SOLVEPNP_ITERATIVE);
        if (tvec.at<double>(2) <= 0) { set_err(err, "solution behind the camera"); return -1; }
        cv::Matx33d R;
        cv::Rodrigues(rvec, R);
        // Euler angles for R = Rz(roll) * Ry(yaw) * Rx(pitch) in the camera
        // frame (x right, y down, z forward).
        const double rad = 180.0 / CV_PI;
        const double yaw = std::asin(std::max(-1.0, std::min(1.0, -R(2, 0))));
        const double pitch = std::atan2(R(2, 1), R(2, 2));
        const double roll = std::atan2(R(1, 0), R(0, 0));
        std::vector<cv::Point2d> proj;
        cv::projectPoints(o, rvec, tvec, K, cv::noArray(), proj);
        double se = 0;
        for (int i = 0; i < n; ++i) {
            const cv::Point2d d = proj[i] - p[i];
            se += d.dot(d);
        }
        out[0] = yaw * rad;
        out[1] = pitch * rad;
        out[2] = roll * rad;
        out[3] = std::sqrt(se / n);
        return 0;
    } catch (const std::exception& e) {
        set_err(err, e.what());
    } catch (...) {
        set_err(err, "unknown error in solvePnP");
    }
    return -1;
}

}  // extern "C"
