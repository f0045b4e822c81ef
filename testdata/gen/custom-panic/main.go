// Command custom-panic reproduces an application panic(error) raised inside a
// worker goroutine when an invariant check fails.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
)

type Invoice struct {
	ID    string
	Lines []int
	Total int
}

func validate(inv Invoice) {
	sum := 0
	for _, l := range inv.Lines {
		sum += l
	}
	if sum != inv.Total {
		panic(fmt.Errorf("invoice %s: total %d does not match line sum %d", inv.ID, inv.Total, sum))
	}
}

func worker(in <-chan Invoice, wg *sync.WaitGroup) {
	defer wg.Done()
	for inv := range in {
		validate(inv)
		fmt.Println("ok", inv.ID)
	}
}

func main() {
	in := make(chan Invoice)
	var wg sync.WaitGroup
	wg.Add(1)
	// The worker is started inside the labelled region and inherits the labels.
	// (Running the work itself inside pprof.Do would lose them on a panic: Do's
	// deferred SetGoroutineLabels restores the outer labels before the runtime
	// prints the traceback.)
	pprof.Do(context.Background(), pprof.Labels("job", "invoice-validate", "tenant", "acme \"eu\""),
		func(context.Context) { go worker(in, &wg) })
	in <- Invoice{ID: "INV-1", Lines: []int{10, 20}, Total: 30}
	in <- Invoice{ID: "INV-2", Lines: []int{5, 5}, Total: 12}
	close(in)
	wg.Wait()
}
