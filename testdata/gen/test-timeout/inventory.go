// Package inventory is the subject of the test-timeout scenario: Reserve waits
// for a confirmation that the code under test never sends, so the test hangs
// until `go test -timeout` fires.
package inventory

import "sync"

type Store struct {
	mu       sync.Mutex
	stock    map[string]int
	confirms chan string
}

func NewStore() *Store {
	return &Store{stock: map[string]int{"apple": 3}, confirms: make(chan string)}
}

// Reserve holds the store lock while it waits for the warehouse confirmation.
func (s *Store) Reserve(item string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stock[item] == 0 {
		return false
	}
	s.stock[item]--
	<-s.confirms // nothing in the tests confirms
	return true
}

// Available reports the stock of item.
func (s *Store) Available(item string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stock[item]
}
