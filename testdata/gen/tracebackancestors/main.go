// Command tracebackancestors crashes with an index out of range in a goroutine
// started by a goroutine started by main; run with
// GODEBUG=tracebackancestors=5 to get "[originating from goroutine N]:" blocks.
package main

import (
	"context"
	"runtime/pprof"
	"time"
)

type shard struct {
	replicas []string
}

func pickReplica(s shard, n int) string {
	return s.replicas[n%4]
}

func balancer(shards []shard) {
	for i := range shards {
		go func(s shard, n int) {
			_ = pickReplica(s, n)
		}(shards[i], i+2)
		time.Sleep(10 * time.Millisecond)
	}
}

func dispatcher() {
	shards := []shard{{replicas: []string{"a", "b", "c", "d"}}, {replicas: []string{"e", "f"}}}
	// The balancer's per-shard goroutines inherit its labels.
	go pprof.Do(context.Background(), pprof.Labels("job", "rebalance", "tenant", "acme \"eu\""),
		func(context.Context) { balancer(shards) })
	select {}
}

func main() {
	go dispatcher()
	time.Sleep(5 * time.Second)
}
