// Command overtime runs one of three services for a while and saves goroutine
// snapshots of itself, fetched from its own net/http/pprof endpoint on
// loopback (as an operator would with curl), at several points in time.
// They are the real input of `gotriage diff` and `--baseline`.
//
//	-mode leak     Notifier.Notify starts a goroutine per event that publishes
//	               on an unbuffered channel nobody reads: parked in chan send
//	               at main.(*Notifier).publish, growing steadily.
//	-mode healthy  an HTTP server under varying load (in-flight requests go
//	               up and down between snapshots) plus a fixed worker pool:
//	               nothing grows in every step.
//	-mode httpwait a fixed set of callers stuck in an http.Client without
//	               Timeout on a loopback listener that never answers: the
//	               count is flat, the wait minutes grow.
//
// Snapshots are written to -out as <mode>-debug<D>-s<N>.txt (debug=1 and
// debug=2) and <mode>-proto-s<N>.pb.gz (the protobuf form).
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

type Event struct{ ID int }

type Notifier struct {
	subscribers chan Event // unbuffered and nobody receives: every publish blocks
}

func (n *Notifier) publish(e Event) {
	n.subscribers <- e
}

// Notify must not block the request, so it publishes from a goroutine.
func (n *Notifier) Notify(e Event) {
	go n.publish(e)
}

func leakLoad(n *Notifier, perSecond int) {
	id := 0
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	for range tick.C {
		id++
		n.Notify(Event{ID: id})
	}
}

type Pool struct{ jobs chan func() }

func NewPool(workers int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < workers; i++ {
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	for job := range p.jobs {
		job()
	}
}

func handleOrder(w http.ResponseWriter, r *http.Request) {
	time.Sleep(400 * time.Millisecond) // the "database"
	io.WriteString(w, "ok\n")
}

// varyingLoad keeps level(step) requests in flight, the level changing at
// every snapshot: up, down, up.
func varyingLoad(base string, level func() int) {
	client := &http.Client{Timeout: 5 * time.Second}
	var inflight sync.WaitGroup
	for {
		n := level()
		for i := 0; i < n; i++ {
			inflight.Add(1)
			go func() {
				defer inflight.Done()
				resp, err := client.Get(base + "/order")
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
		}
		inflight.Wait()
	}
}

type InventoryClient struct {
	http *http.Client // no Timeout: a peer that never answers blocks forever
	url  string
}

func (c *InventoryClient) Reserve(sku string) error {
	resp, err := c.http.Get(c.url + "/reserve?sku=" + sku)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func blackhole() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // accept, never answer
		}
	}()
	return "http://" + ln.Addr().String()
}

func snapshot(base, out, mode string, n int) {
	for _, d := range []int{0, 1, 2} {
		resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/goroutine?debug=%d", base, d))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		name := filepath.Join(out, fmt.Sprintf("%s-debug%d-s%d.txt", mode, d, n))
		if d == 0 { // the protobuf form, gzipped, as pprof serves it
			name = filepath.Join(out, fmt.Sprintf("%s-proto-s%d.pb.gz", mode, n))
		}
		if err := os.WriteFile(name, body, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func main() {
	mode := flag.String("mode", "leak", "leak, healthy or httpwait")
	out := flag.String("out", ".", "directory for the snapshots")
	every := flag.Duration("every", 3*time.Second, "time between snapshots")
	count := flag.Int("n", 3, "number of snapshots")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	http.HandleFunc("/order", handleOrder)
	go http.Serve(ln, nil)
	base := "http://" + ln.Addr().String()

	var mu sync.Mutex
	step := 0
	switch *mode {
	case "leak":
		NewPool(8)
		go leakLoad(&Notifier{subscribers: make(chan Event)}, 40)
	case "healthy":
		NewPool(8)
		levels := []int{30, 5, 45, 10, 25}
		go varyingLoad(base, func() int {
			mu.Lock()
			defer mu.Unlock()
			return levels[step%len(levels)]
		})
	case "httpwait":
		NewPool(8)
		inv := &InventoryClient{http: &http.Client{}, url: blackhole()}
		for i := 0; i < 6; i++ {
			go inv.Reserve(fmt.Sprintf("sku-%d", i))
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown -mode", *mode)
		os.Exit(2)
	}
	// The runtime notes when a goroutine started waiting during a GC scan,
	// and prints wait minutes only for those; a real service allocates and
	// collects all the time, an idle reproducer does not.
	go func() {
		for range time.Tick(5 * time.Second) {
			runtime.GC()
		}
	}()
	time.Sleep(*every)
	for i := 1; i <= *count; i++ {
		snapshot(base, *out, *mode, i)
		fmt.Println("snapshot", i)
		mu.Lock()
		step++
		mu.Unlock()
		if i < *count {
			time.Sleep(*every)
		}
	}
}
