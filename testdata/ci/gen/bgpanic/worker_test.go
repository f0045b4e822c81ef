package bgpanic

import "testing"

func TestStart(t *testing.T) {
	Start(nil)
}
