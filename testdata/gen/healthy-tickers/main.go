// Command healthy-tickers is a healthy service with periodic tasks: tickers
// and context-driven select loops, all stopped cleanly on cancel. It writes
// its goroutine profile (debug=2) while everything is idle between ticks.
// Nothing is wrong here; a triage tool must not report a finding.
package main

import (
	"context"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type stats struct {
	mu    sync.Mutex
	ticks map[string]int
}

func (s *stats) inc(name string) {
	s.mu.Lock()
	s.ticks[name]++
	s.mu.Unlock()
}

func periodic(ctx context.Context, name string, every time.Duration, s *stats, wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.inc(name)
		}
	}
}

func eventLoop(ctx context.Context, events <-chan string, s *stats, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			s.inc(e)
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	s := &stats{ticks: make(map[string]int)}
	events := make(chan string)
	var wg sync.WaitGroup
	wg.Add(4)
	for _, p := range []struct {
		name  string
		every time.Duration
	}{{"metrics-flush", 10 * time.Second}, {"cache-refresh", 30 * time.Second}, {"heartbeat", 5 * time.Second}} {
		p := p // go 1.19 loop variable semantics
		go pprof.Do(ctx, pprof.Labels("job", p.name), func(ctx context.Context) { periodic(ctx, p.name, p.every, s, &wg) })
	}
	go pprof.Do(ctx, pprof.Labels("job", "event-loop", "tenant", "acme \"eu\""),
		func(ctx context.Context) { eventLoop(ctx, events, s, &wg) })
	time.Sleep(200 * time.Millisecond)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
	cancel()
	wg.Wait()
}
