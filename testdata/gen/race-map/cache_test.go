package cache

import (
	"sync"
	"testing"
)

func TestSquareConcurrent(t *testing.T) {
	c := NewMemo()
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := 0; k < 100; k++ {
				if got := Square(c, k); got != k*k {
					t.Errorf("Square(%d) = %d", k, got)
				}
			}
		}(w)
	}
	wg.Wait()
}
