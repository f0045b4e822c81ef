// Package race has a counter whose increments race (go test -race).
package race

import "sync"

// Counter counts hits without a lock: the race under test.
type Counter struct{ hits int }

// Hit increments the counter.
func (c *Counter) Hit() { c.hits++ }

// HitAll calls Hit from n goroutines.
func HitAll(c *Counter, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Hit()
		}()
	}
	wg.Wait()
}
