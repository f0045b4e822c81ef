// Package hang deadlocks on a re-entrant lock (go test -timeout).
package hang

import "sync"

// Store guards its items with a mutex.
type Store struct {
	mu    sync.Mutex
	items map[string]int
}

// Add locks and then calls Count, which locks again.
func (s *Store) Add(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Count() > 10 {
		return
	}
	s.items[k]++
}

// Count locks the store.
func (s *Store) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}
