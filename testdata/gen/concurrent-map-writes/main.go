// Command concurrent-map-writes reproduces "fatal error: concurrent map writes":
// request handlers update a shared hit counter map without a lock.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"strconv"
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

func main() {
	c := &hitCounter{hits: make(map[string]int)}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		// Each request worker runs under pprof labels (inherited by anything it starts).
		go func(w int) {
			labels := pprof.Labels("route", "/api/v1/items", "worker", strconv.Itoa(w))
			pprof.Do(context.Background(), labels, func(context.Context) { handleRequests(c, w, &wg) })
		}(w)
	}
	go func() {
		time.Sleep(30 * time.Second)
		panic("reproducer did not crash in time")
	}()
	wg.Wait()
}
