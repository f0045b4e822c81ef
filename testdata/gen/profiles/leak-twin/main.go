// Command leak-twin reproduces the goroutine leak of testdata/gen/goroutine-leak
// (fetchPrice starts a goroutine that sends its result on an unbuffered
// channel; the caller returns early on a timeout or a bad SKU, so the sender
// blocks in "chan send" forever) and, once -at goroutines have leaked, stops
// the request handlers and writes, from the same moment, the goroutine
// profile in protobuf form (debug=0) and as its debug=1 text twin, and, when
// built with GOEXPERIMENT=goroutineleakprofile (Go 1.26) or with Go 1.27,
// the goroutineleak profile in both forms:
//
//	-out DIR: DIR/goroutine.pb.gz, DIR/goroutine.debug1.txt,
//	          DIR/goroutineleak.pb.gz, DIR/goroutineleak.debug1.txt
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type quote struct {
	price int
	err   error
}

var (
	leaked  int64
	stopped int32
)

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

func handler(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	for n := 0; atomic.LoadInt32(&stopped) == 0; n++ {
		sku := fmt.Sprintf("SKU-%d-%d", id, n)
		if n%5 == 0 {
			sku = "X-" + sku
		}
		handleQuote(sku)
	}
}

func write(p *pprof.Profile, path string, debug int) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := p.WriteTo(f, debug); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
}

func main() {
	at := flag.Int64("at", 300, "dump once this many goroutines have leaked")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go handler(i, &wg)
	}
	deadline := time.Now().Add(60 * time.Second)
	for atomic.LoadInt64(&leaked) < *at {
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "not enough leaks in time")
			os.Exit(3)
		}
		time.Sleep(time.Millisecond)
	}
	atomic.StoreInt32(&stopped, 1)
	wg.Wait()
	time.Sleep(20 * time.Millisecond) // let the last upstream calls reach their send
	for _, name := range []string{"goroutine", "goroutineleak"} {
		p := pprof.Lookup(name)
		if p == nil {
			fmt.Fprintln(os.Stderr, name, "profile not available (GOEXPERIMENT=goroutineleakprofile or Go 1.27)")
			continue
		}
		write(p, filepath.Join(*out, name+".pb.gz"), 0)
		write(p, filepath.Join(*out, name+".debug1.txt"), 1)
	}
	fmt.Println("leaked", atomic.LoadInt64(&leaked))
}
