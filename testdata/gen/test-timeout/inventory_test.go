package inventory

import (
	"context"
	"runtime/pprof"
	"sync"
	"testing"
)

func TestAvailable(t *testing.T) {
	if got := NewStore().Available("apple"); got != 3 {
		t.Fatalf("Available = %d, want 3", got)
	}
}

func TestReserveConcurrent(t *testing.T) {
	s := NewStore()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		labels := pprof.Labels("item", "apple", "test", t.Name(), "tenant", "acme \"eu\"")
		go pprof.Do(context.Background(), labels, func(context.Context) {
			defer wg.Done()
			s.Reserve("apple")
		})
	}
	wg.Wait()
	if got := s.Available("apple"); got != 0 {
		t.Fatalf("Available = %d, want 0", got)
	}
}
