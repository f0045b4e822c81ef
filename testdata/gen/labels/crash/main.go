// Command crash crashes inside request handlers that carry runtime/pprof
// labels, for the labelled goroutine header on fatal errors and panics.
//
// -mode mapwrites: handlers, each under pprof.Do with route and tenant labels
// (one tenant needs quoting: `a b"c`), update a shared hit counter map without
// a lock: "fatal error: concurrent map writes".
// -mode panic: a labelled handler indexes past the end of a slice.
package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/pprof"
	"sync"
	"time"
)

type hitCounter struct {
	hits map[string]int
}

func (c *hitCounter) record(path string) {
	c.hits[path]++
}

func handleRequests(c *hitCounter, worker int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; ; i++ {
		c.record(fmt.Sprintf("/api/v1/items/%d", (worker*7+i)%64))
	}
}

type order struct{ lines []int }

func lastLine(o *order, k int) int {
	return o.lines[len(o.lines)-k]
}

func handleOrder(o *order) int {
	return lastLine(o, 0)
}

func main() {
	mode := flag.String("mode", "mapwrites", "mapwrites or panic")
	flag.Parse()
	go func() {
		time.Sleep(30 * time.Second)
		panic("reproducer did not crash in time")
	}()
	tenants := []string{"t1", `a b"c`}
	switch *mode {
	case "mapwrites":
		c := &hitCounter{hits: make(map[string]int)}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			pprof.Do(context.Background(), pprof.Labels("route", "/api/items", "tenant", tenants[w%2]), func(context.Context) {
				go handleRequests(c, w, &wg)
			})
		}
		wg.Wait()
	case "panic":
		done := make(chan int)
		pprof.Do(context.Background(), pprof.Labels("route", "/v1/orders/{id}", "tenant", tenants[1]), func(context.Context) {
			go func() { done <- handleOrder(&order{lines: []int{1, 2}}) }()
		})
		<-done
	}
}
