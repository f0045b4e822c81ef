// Command http-no-timeout-pool reproduces a worker pool wedged on an upstream
// that accepts connections but never answers: the workers use an
// http.Client{} with no Timeout, so every worker blocks forever inside
// net/http and the job producer blocks on the full job channel.
//
// The upstream is a loopback listener on 127.0.0.1. -dump=debug2 writes the
// goroutine profile (debug=2; -dump=debug1 for debug=1) to stdout once every
// worker is stuck and exits;
// -dump=sigquit prints a marker to stderr and waits for SIGQUIT.
//
// -workers N sets the pool's size (8 by default). -hold D keeps the stuck
// state for D before the dump, after a garbage collection: the runtime
// notes when it first saw a goroutine blocked during a GC, so a dump taken
// a minute or more later prints the wait in minutes (`[select, 2 minutes]`),
// as a production dump of a long hang does (issue 16, item 4: 40 requests
// hung on one shared client).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var inFlight int64

// blackhole accepts connections and never writes a byte.
func blackhole(ln net.Listener) {
	var held []net.Conn
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		held = append(held, c)
	}
}

type Poller struct {
	client  *http.Client
	baseURL string
}

func (p *Poller) fetch(job int) error {
	atomic.AddInt64(&inFlight, 1)
	defer atomic.AddInt64(&inFlight, -1)
	resp, err := p.client.Get(fmt.Sprintf("%s/v1/accounts/%d", p.baseURL, job))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (p *Poller) worker(jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		if err := p.fetch(j); err != nil {
			fmt.Fprintln(os.Stderr, "fetch:", err)
		}
	}
}

func main() {
	dump := flag.String("dump", "debug2", "debug2, debug1 or sigquit")
	workersFlag := flag.Int("workers", 8, "worker goroutines")
	hold := flag.Duration("hold", 0, "keep the stuck state this long (after a GC) before the dump")
	flag.Parse()
	workers := int64(*workersFlag)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go blackhole(ln)

	p := &Poller{client: &http.Client{}, baseURL: "http://" + ln.Addr().String()}
	jobs := make(chan int, 16)
	var wg sync.WaitGroup
	for i := 0; i < int(workers); i++ {
		wg.Add(1)
		go func(i int) {
			labels := pprof.Labels("pool", "account-poller", "worker", strconv.Itoa(i))
			pprof.Do(context.Background(), labels, func(context.Context) { p.worker(jobs, &wg) })
		}(i)
	}
	go pprof.Do(context.Background(), pprof.Labels("job", "enqueue-accounts"), func(context.Context) {
		for j := 0; j < 1000; j++ {
			jobs <- j
		}
		close(jobs)
	})

	deadline := time.Now().Add(30 * time.Second)
	for atomic.LoadInt64(&inFlight) < workers {
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "workers did not get stuck in time")
			os.Exit(3)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	if *hold > 0 {
		runtime.GC() // marks every blocked goroutine's wait start
		time.Sleep(*hold)
	}

	if *dump == "sigquit" {
		fmt.Fprintf(os.Stderr, "poller: all %d workers busy, queue full\n", workers)
		time.Sleep(60 * time.Second)
		os.Exit(3)
	}
	level := 2
	if *dump == "debug1" {
		level = 1 // counts and frames only: no wait states, no minutes, no creators
	}
	pprof.Lookup("goroutine").WriteTo(os.Stdout, level)
}
