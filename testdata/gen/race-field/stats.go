// Package stats is the subject of the race-field scenario: a request counter
// whose plain int field is incremented from several goroutines.
package stats

import "sync"

type Server struct {
	name     string
	requests int
}

func (s *Server) Handle() {
	s.requests++
}

// Serve handles n requests on n goroutines.
func Serve(s *Server, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Handle()
		}()
	}
	wg.Wait()
}
