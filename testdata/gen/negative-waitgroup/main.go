// Command negative-waitgroup reproduces "sync: negative WaitGroup counter":
// Done is called once per item but Add was called once per batch.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
	"time"
)

func processBatch(items []string, wg *sync.WaitGroup) {
	for _, it := range items {
		go func(it string) {
			defer wg.Done()
			time.Sleep(10 * time.Millisecond)
			fmt.Println("processed", it)
		}(it)
	}
}

func main() {
	var wg sync.WaitGroup
	wg.Add(1)
	// The batch job's goroutines inherit its labels.
	pprof.Do(context.Background(), pprof.Labels("batch", "b-17", "job", "process-batch"),
		func(context.Context) { processBatch([]string{"a", "b", "c"}, &wg) })
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
}
