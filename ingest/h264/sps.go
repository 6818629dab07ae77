package h264

import (
	"errors"
	"fmt"
)

var errSPS = errors.New("malformed SPS")

// bitReader reads an RBSP (emulation prevention bytes already removed)
// MSB first. Reading past the end sets err.
type bitReader struct {
	b   []byte
	pos int // in bits
	err error
}

func (r *bitReader) u(n int) uint32 {
	var v uint32
	for i := 0; i < n; i++ {
		if r.pos >= len(r.b)*8 {
			r.err = errSPS
			return 0
		}
		v = v<<1 | uint32(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

// ue reads an Exp-Golomb code (§9.1), refusing values over 2^31.
func (r *bitReader) ue() uint32 {
	zeros := 0
	for r.u(1) == 0 && r.err == nil {
		if zeros++; zeros > 31 {
			r.err = errSPS
			return 0
		}
	}
	return 1<<zeros - 1 + r.u(zeros)
}

func (r *bitReader) se() int32 {
	v := r.ue()
	if v&1 == 1 {
		return int32(v/2 + 1)
	}
	return -int32(v / 2)
}

// unescape removes emulation prevention bytes (00 00 03 -> 00 00).
func unescape(nal []byte) []byte {
	out := make([]byte, 0, len(nal))
	zeros := 0
	for _, c := range nal {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// spsSize returns the cropped picture size a sequence parameter set NAL
// unit declares (ITU-T H.264 §7.3.2.1.1, §7.4.2.1.1), so that sizes can be
// checked before libavcodec allocates for them. Sizes are computed in
// int64 and may be absurd; the caller checks them.
func spsSize(nal []byte) (w, h int64, err error) {
	r := &bitReader{b: unescape(nal[1:])}
	profile := r.u(8)
	r.u(16) // constraint flags, level_idc
	r.ue()  // seq_parameter_set_id
	chroma := uint32(1)
	switch profile {
	case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135:
		if chroma = r.ue(); chroma > 3 {
			return 0, 0, fmt.Errorf("%w: chroma_format_idc %d", errSPS, chroma)
		}
		if chroma == 3 && r.u(1) == 1 { // separate_colour_plane_flag
			chroma = 0 // cropping as for monochrome (Table 6-1)
		}
		r.ue()           // bit_depth_luma_minus8
		r.ue()           // bit_depth_chroma_minus8
		r.u(1)           // qpprime_y_zero_transform_bypass_flag
		if r.u(1) == 1 { // seq_scaling_matrix_present_flag
			lists := 8
			if chroma == 3 {
				lists = 12
			}
			for i := 0; i < lists && r.err == nil; i++ {
				if r.u(1) == 1 {
					size := 64
					if i < 6 {
						size = 16
					}
					skipScalingList(r, size)
				}
			}
		}
	}
	r.ue() // log2_max_frame_num_minus4
	switch poc := r.ue(); poc {
	case 0:
		r.ue() // log2_max_pic_order_cnt_lsb_minus4
	case 1:
		r.u(1)
		r.se()
		r.se()
		n := r.ue()
		if n > 255 {
			return 0, 0, fmt.Errorf("%w: %d reference frames in POC cycle", errSPS, n)
		}
		for i := uint32(0); i < n && r.err == nil; i++ {
			r.se()
		}
	}
	r.ue() // max_num_ref_frames
	r.u(1) // gaps_in_frame_num_value_allowed_flag
	wmbs := int64(r.ue()) + 1
	hmap := int64(r.ue()) + 1
	frameMbsOnly := int64(r.u(1))
	if frameMbsOnly == 0 {
		r.u(1) // mb_adaptive_frame_field_flag
	}
	r.u(1) // direct_8x8_inference_flag
	var cl, cr, ct, cb int64
	if r.u(1) == 1 {
		cl, cr, ct, cb = int64(r.ue()), int64(r.ue()), int64(r.ue()), int64(r.ue())
	}
	if r.err != nil {
		return 0, 0, r.err
	}
	cropX, cropY := int64(1), 2-frameMbsOnly
	switch chroma {
	case 1:
		cropX, cropY = 2, 2*(2-frameMbsOnly)
	case 2:
		cropX = 2
	}
	w = wmbs*16 - cropX*(cl+cr)
	h = (2-frameMbsOnly)*hmap*16 - cropY*(ct+cb)
	return w, h, nil
}

// skipScalingList reads past one scaling_list() (§7.3.2.1.1.1).
func skipScalingList(r *bitReader, size int) {
	last, next := int32(8), int32(8)
	for j := 0; j < size && r.err == nil; j++ {
		if next != 0 {
			next = (last + r.se() + 256) % 256
		}
		if next != 0 {
			last = next
		}
	}
}
