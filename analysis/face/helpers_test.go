package face

import (
	"os"
	"time"
)

func secondsToDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }
