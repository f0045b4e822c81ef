// Command goroutine-leak reproduces the classic leak: fetchPrice starts a
// goroutine that sends its result on an unbuffered channel, but the caller
// returns early when its context times out (or the SKU fails validation after
// the lookup was started), so nobody ever receives and the sender blocks in
// "chan send" forever. Request handlers call it in a loop.
//
// Once -at leaked goroutines exist it writes the goroutine profile with
// pprof debug=-debug to stdout and exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"
)

type quote struct {
	price int
	err   error
}

var leaked int64

func queryUpstream(sku string) (int, error) {
	time.Sleep(3 * time.Millisecond) // slower than the caller is willing to wait
	return len(sku) * 100, nil
}

func fetchPrice(ctx context.Context, sku string) (int, error) {
	ch := make(chan quote)
	go func() {
		p, err := queryUpstream(sku)
		ch <- quote{p, err} // blocks forever once the caller has gone
	}()
	if strings.HasPrefix(sku, "X-") {
		atomic.AddInt64(&leaked, 1)
		return 0, errors.New("discontinued sku") // early return: nobody receives
	}
	select {
	case q := <-ch:
		return q.price, q.err
	case <-ctx.Done():
		atomic.AddInt64(&leaked, 1)
		return 0, ctx.Err()
	}
}

func handleQuote(sku string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, _ = fetchPrice(ctx, sku)
}

func handler(id int) {
	for n := 0; ; n++ {
		sku := fmt.Sprintf("SKU-%d-%d", id, n)
		if n%5 == 0 {
			sku = "X-" + sku
		}
		handleQuote(sku)
	}
}

func main() {
	at := flag.Int64("at", 200, "dump once this many goroutines have leaked")
	debug := flag.Int("debug", 2, "pprof debug level")
	flag.Parse()
	// Request handlers run under pprof labels; the goroutines fetchPrice
	// starts (and leaks) inherit them.
	tenants := []string{"acme \"eu\"", "t1"}
	for i := 0; i < 4; i++ {
		go func(i int) {
			labels := pprof.Labels("route", "/v1/quote", "tenant", tenants[i%2])
			pprof.Do(context.Background(), labels, func(context.Context) { handler(i) })
		}(i)
	}
	deadline := time.Now().Add(60 * time.Second)
	for atomic.LoadInt64(&leaked) < *at {
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "not enough leaks in time")
			os.Exit(3)
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // let the last upstream calls finish
	pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug)
}
