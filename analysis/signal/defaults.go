package signal

import "time"

// orDefault sets *v to d when *v is not positive: the zero value of every
// signal's Config means "use the documented default".
func orDefault[T float64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}
