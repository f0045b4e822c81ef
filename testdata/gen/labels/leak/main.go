// Command leak leaks goroutines that carry runtime/pprof labels, for the
// Go 1.27 labelled goroutine header (`goroutine 7 [chan send] {route: /v1/orders, tenant: t1}:`)
// and Go 1.26's GODEBUG=tracebacklabels=1 form (`[chan send labels:{"route": "/v1/orders"}]:`).
//
// Each request handler runs under pprof.Do with route and tenant labels;
// fetchStock starts a goroutine that sends its result on an unbuffered
// channel, and the handler gives up after a timeout, so every sender blocks in
// "chan send" forever and inherits the handler's labels. Every second request
// also carries a `user` label whose value needs quoting (blank, quote, comma,
// brace). A few healthy workers of another tenant wait on a channel that is
// still referenced.
//
// -out goroutine: the goroutine profile at -debug (1 or 2).
// -out goroutineleak: the goroutineleak profile (GA in Go 1.27; Go 1.26 needs
// GOEXPERIMENT=goroutineleakprofile), written with debug=2 and then debug=1
// to the same stream.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

func queryWarehouse(sku string) int {
	time.Sleep(2 * time.Millisecond) // slower than the handler waits
	return len(sku)
}

func fetchStock(ctx context.Context, sku string) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- queryWarehouse(sku) // blocks forever once the handler has gone
	}()
	select {
	case n := <-ch:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func handleOrder(ctx context.Context, sku string) {
	ctx, cancel := context.WithTimeout(ctx, 100*time.Microsecond)
	defer cancel()
	_, _ = fetchStock(ctx, sku)
}

var work = make(chan string)

func worker(wg *sync.WaitGroup) {
	wg.Done()
	for s := range work {
		_ = s
	}
}

func main() {
	n := flag.Int("n", 50, "leaked goroutines")
	out := flag.String("out", "goroutine", "goroutine or goroutineleak")
	debug := flag.Int("debug", 2, "pprof debug level for -out goroutine")
	flag.Parse()

	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		pprof.Do(context.Background(), pprof.Labels("tenant", "t2", "role", "worker"), func(context.Context) {
			go worker(&wg)
		})
	}
	wg.Wait()
	for i := 0; i < *n; i++ {
		labels := pprof.Labels("route", "/v1/orders", "tenant", "t1")
		if i%2 == 1 {
			labels = pprof.Labels("route", "/v1/orders", "tenant", "t1", "user", `a b"c, x}`)
		}
		pprof.Do(context.Background(), labels, func(ctx context.Context) {
			handleOrder(ctx, fmt.Sprintf("SKU-%d", i))
		})
	}
	time.Sleep(20 * time.Millisecond) // every sender is now parked in chan send
	switch *out {
	case "goroutine":
		pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug)
	case "goroutineleak":
		p := pprof.Lookup("goroutineleak")
		if p == nil {
			fmt.Fprintln(os.Stderr, "goroutineleak profile not available")
			os.Exit(4)
		}
		p.WriteTo(os.Stdout, 2)
		p.WriteTo(os.Stdout, 1)
	}
	close(work)
}
