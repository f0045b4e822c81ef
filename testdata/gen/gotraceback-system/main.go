// Command gotraceback-system crashes with a nil map write in a goroutine while
// other goroutines are parked; run with GOTRACEBACK=system so frames carry
// fp/sp/pc and headers carry gp=/m=.
package main

import (
	"context"
	"runtime/pprof"
	"sync"
	"time"
)

type metrics struct {
	counters map[string]int64
}

func (m *metrics) inc(name string) {
	m.counters[name]++
}

func collector(m *metrics, tick <-chan time.Time) {
	for range tick {
		m.inc("ticks")
	}
}

func main() {
	var mu sync.Mutex
	mu.Lock()
	for i := 0; i < 2; i++ {
		go func() {
			mu.Lock()
			defer mu.Unlock()
		}()
	}
	t := time.NewTicker(20 * time.Millisecond)
	// Started inside the labelled region: the collector inherits the labels
	// (a panic unwinding through pprof.Do itself would reset them).
	pprof.Do(context.Background(), pprof.Labels("job", "metrics-collector"),
		func(context.Context) { go collector(&metrics{}, t.C) })
	time.Sleep(5 * time.Second)
}
