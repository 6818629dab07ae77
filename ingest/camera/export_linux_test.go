package camera

// ListWithQuery is List with VIDIOC_QUERYCAP replaced by query, which
// gets the device path and returns the raw 104-byte reply.
func ListWithQuery(cfg Config, query func(path string) ([]byte, error)) ([]Camera, error) {
	return list(cfg, query)
}
