// Command generic-leak leaks goroutines through a generic helper: ParallelMap
// starts one goroutine per item, each sending its result on an unbuffered
// channel, and returns at the first error. The goroutines of the items not
// yet received stay blocked in "chan send" inside ParallelMap[...].func1,
// a generic function's closure, which the runtime prints with `[...]`
// (Go 1.18 on). A request handler enriches batches of orders with it, and
// about one batch in four holds an order the lookup rejects.
//
// Once -at goroutines have leaked it writes the goroutine profile with pprof
// debug=-debug to stdout and exits.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

var started, received int64

// ParallelMap applies f to every item concurrently and returns the results
// in order, or the first error.
func ParallelMap[T, R any](items []T, f func(T) (R, error)) ([]R, error) {
	type result struct {
		i   int
		r   R
		err error
	}
	ch := make(chan result) // unbuffered: a sender waits for the receiver
	for i, it := range items {
		atomic.AddInt64(&started, 1)
		go func(i int, it T) {
			r, err := f(it)
			ch <- result{i, r, err} // blocks forever once ParallelMap has returned
		}(i, it)
	}
	out := make([]R, len(items))
	for range items {
		res := <-ch
		atomic.AddInt64(&received, 1)
		if res.err != nil {
			return nil, res.err // the remaining senders are never received
		}
		out[res.i] = res.r
	}
	return out, nil
}

type order struct {
	id  int
	sku string
}

func lookupPrice(o order) (int, error) {
	if o.sku == "" {
		return 0, errors.New("order without a SKU")
	}
	time.Sleep(2 * time.Millisecond) // the price service
	return 100 + o.id%7, nil
}

func enrichBatch(batch []order) (int, error) {
	prices, err := ParallelMap(batch, lookupPrice)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, p := range prices {
		total += p
	}
	return total, nil
}

func handler(id int) {
	for n := 0; ; n++ {
		batch := make([]order, 8)
		for k := range batch {
			batch[k] = order{id: n*8 + k, sku: fmt.Sprintf("SKU-%d-%d", id, k)}
		}
		if n%4 == 0 {
			batch[0].sku = "" // rejected at once: seven senders leak
		}
		enrichBatch(batch)
	}
}

func main() {
	at := flag.Int64("at", 200, "dump once this many goroutines have leaked")
	debug := flag.Int("debug", 1, "pprof debug level")
	flag.Parse()
	for i := 0; i < 4; i++ {
		go handler(i)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		// Leaked: started and never received, less those still running.
		if atomic.LoadInt64(&started)-atomic.LoadInt64(&received) >= *at+64 && runtime.NumGoroutine() > int(*at) {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "not enough leaks in time")
			os.Exit(3)
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // let the last lookups finish
	pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug)
}
