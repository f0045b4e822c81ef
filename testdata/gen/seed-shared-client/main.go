// Command catalogsvc reproduces a crash inside a dependency caused by the
// application: one apiclient.Client is shared by all request goroutines, each
// request sets its own trace parameter on it (a map write) while other
// requests build URLs (a map iteration in (*Params).DeepCopy). The runtime
// stops with "fatal error: concurrent map iteration and map write".
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/apiclient"
)

var inventory = apiclient.New("http://inventory.internal")

type Handler struct {
	name string
}

func (h *Handler) lookupStock(reqID int) string {
	inventory.SetParam("trace_id", fmt.Sprintf("%s-%d", h.name, reqID))
	return inventory.BuildURL("/v1/stock")
}

func (h *Handler) serve(reqs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for id := range reqs {
		_ = h.lookupStock(id)
	}
}

func main() {
	reqs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		h := &Handler{name: fmt.Sprintf("h%d", i)}
		go pprof.Do(context.Background(), pprof.Labels("handler", h.name, "route", "/v1/stock"),
			func(context.Context) { h.serve(reqs, &wg) })
	}
	deadline := time.Now().Add(30 * time.Second)
	for id := 0; time.Now().Before(deadline); id++ {
		reqs <- id
	}
	fmt.Fprintln(os.Stderr, "reproducer did not crash in time")
	os.Exit(3)
}
