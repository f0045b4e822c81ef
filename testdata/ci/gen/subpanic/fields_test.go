package subpanic

import "testing"

func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    *Fields
	}{
		{"made", New()},
		{"empty", &Fields{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Set("x", 1)
		})
	}
}
