// Command persistconn-leak reproduces the connection leak of
// golang/go#16953: a client reads only the status code of each response and
// never closes resp.Body, so the keep-alive connection can never be reused
// or closed and every request dials a new one. Each leaked connection keeps
// two goroutines, net/http.(*persistConn).readLoop and writeLoop.
//
// The server is an httptest server on loopback. After -requests requests it
// writes its goroutine profile (pprof debug=-debug) to stdout and exits.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"time"
)

type statusChecker struct {
	client *http.Client
	url    string
}

// check asks the upstream for its status and forgets the body.
func (c *statusChecker) check() (int, error) {
	resp, err := c.client.Get(c.url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // resp.Body is never closed
}

func main() {
	requests := flag.Int("requests", 300, "requests before the dump")
	debug := flag.Int("debug", 1, "pprof debug level")
	flag.Parse()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"status":"ok","detail":"a body the client never reads"}`)
	}))
	defer srv.Close()

	c := &statusChecker{client: &http.Client{Timeout: 10 * time.Second}, url: srv.URL + "/status"}
	for i := 0; i < *requests; i++ {
		if _, err := c.check(); err != nil {
			fmt.Fprintln(os.Stderr, "check:", err)
			os.Exit(1)
		}
	}
	time.Sleep(200 * time.Millisecond)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug)
}
