// Command healthy-idle-server is a healthy, idle service: an HTTP server with
// net/http/pprof on a loopback port and a pool of 16 workers waiting on an
// empty job channel. It fetches its own goroutine profile
// (/debug/pprof/goroutine?debug=-debug) over HTTP, prints it and exits.
// Nothing is wrong here; a triage tool must not report a finding.
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
	"runtime/pprof"
	"strconv"
	"sync"
	"time"
)

type job struct{ id int }

func worker(id int, jobs <-chan job, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		fmt.Println("worker", id, "job", j.id)
	}
}

func main() {
	debug := flag.Int("debug", 2, "pprof debug level")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)

	jobs := make(chan job)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("pool", "jobs", "worker", strconv.Itoa(i)),
			func(context.Context) { worker(i, jobs, &wg) })
	}
	time.Sleep(300 * time.Millisecond)

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://%s/debug/pprof/goroutine?debug=%d", ln.Addr(), *debug))
	if err != nil {
		panic(err)
	}
	io.Copy(os.Stdout, resp.Body)
	resp.Body.Close()
}
