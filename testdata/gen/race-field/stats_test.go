package stats

import "testing"

func TestServe(t *testing.T) {
	s := &Server{name: "api"}
	Serve(s, 10)
	if s.requests == 0 {
		t.Fatal("no requests counted")
	}
}
