// Command seed-report-queue reproduces a batching report queue that wedges.
//
// Producers call (*ReportQueue).Add, which takes the queue mutex, appends, and
// when the batch reaches the threshold signals the flusher on an UNBUFFERED
// channel while still holding the mutex. The flusher loop re-arms its timer
// with timer.Reset without Stop+drain, so (with the pre-Go-1.23 asynchronous
// timer channel, GODEBUG=asynctimerchan=1) a stale tick makes it take the
// timer branch while a producer is blocked in the send; the flusher then waits
// for the mutex the blocked producer holds, and every later request piles up
// on sync.Mutex.Lock.
//
// -dump=debug2|debug1: once requests pile up, fetch
// /debug/pprof/goroutine?debug=N from the program's own loopback pprof server,
// print it to stdout and exit. -dump=sigquit: print a marker line to stderr
// and wait to be killed with SIGQUIT.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type Report struct {
	UserID int
	Event  string
}

type ReportQueue struct {
	mu        sync.Mutex
	items     []Report
	threshold int
	signal    chan struct{}
	signaled  bool
}

func NewReportQueue(threshold int) *ReportQueue {
	return &ReportQueue{threshold: threshold, signal: make(chan struct{})}
}

// Add appends r and wakes the flusher when a full batch is ready.
func (q *ReportQueue) Add(r Report) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, r)
	if len(q.items) >= q.threshold && !q.signaled {
		q.signaled = true
		q.signal <- struct{}{} // BUG: blocks while holding q.mu
	}
}

// Drain removes and returns everything queued.
func (q *ReportQueue) Drain() []Report {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.items
	q.items = nil
	q.signaled = false
	return out
}

func upload(batch []Report) {
	time.Sleep(15 * time.Millisecond) // slow upstream
}

func flushLoop(q *ReportQueue, interval time.Duration) {
	timer := time.NewTimer(interval)
	for {
		select {
		case <-timer.C:
			upload(q.Drain())
			timer.Reset(interval)
		case <-q.signal:
			upload(q.Drain())
			timer.Reset(interval) // BUG: no Stop+drain; a stale tick stays in timer.C
		}
	}
}

func handleLogin(q *ReportQueue, user int) {
	q.Add(Report{UserID: user, Event: "login"})
}

func main() {
	dump := flag.String("dump", "debug2", "debug2, debug1 or sigquit")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, nil)

	q := NewReportQueue(8)
	go pprof.Do(context.Background(), pprof.Labels("job", "report-flush"),
		func(context.Context) { flushLoop(q, 10*time.Millisecond) })
	tenants := []string{"acme \"eu\"", "t1", "t2"}

	deadline := time.Now().Add(40 * time.Second)
	for user := 0; runtime.NumGoroutine() < 150; user++ {
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "reproducer did not wedge in time")
			os.Exit(3)
		}
		go func(user int) {
			labels := pprof.Labels("method", "POST", "route", "/v1/login", "tenant", tenants[user%3])
			pprof.Do(context.Background(), labels, func(context.Context) { handleLogin(q, user) })
		}(user)
		time.Sleep(200 * time.Microsecond)
	}
	time.Sleep(200 * time.Millisecond)

	switch *dump {
	case "sigquit":
		fmt.Fprintf(os.Stderr, "report-queue: %d goroutines, requests are piling up\n", runtime.NumGoroutine())
		time.Sleep(60 * time.Second)
		os.Exit(3)
	case "debug1", "debug2":
		resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/goroutine?debug=%s", ln.Addr(), (*dump)[5:]))
		if err != nil {
			panic(err)
		}
		io.Copy(os.Stdout, resp.Body)
		resp.Body.Close()
	}
}
