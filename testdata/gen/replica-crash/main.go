// Command replica-crash is one replica of a deployment that crashes with
// every goroutine in its trace (GOTRACEBACK=all, as many deployments set):
// 8 workers parked on their job channel, 8 request handlers waiting for a
// lock that main holds while it writes to a map it never made (a nil map
// write: the panic). Two runs are
// two pods; testdata/gen/replica-crash/capture.sh serves them to the real
// kubectl, whose `logs -l app=... --prefix -f` interleaves their lines.
package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

type cache struct {
	mu      sync.Mutex
	entries map[string]int
}

func worker(jobs <-chan int) {
	for j := range jobs {
		_ = j
	}
}

func handle(c *cache, key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key]++
}

// refresh runs with c.mu held by its caller.
func (c *cache) refresh(keys []string) {
	for _, k := range keys {
		c.entries[k] = len(k)
	}
}

func main() {
	jobs := make(chan int)
	for i := 0; i < 8; i++ {
		go worker(jobs)
	}
	c := &cache{}
	c.mu.Lock()
	for i := 0; i < 8; i++ {
		go handle(c, fmt.Sprintf("req-%d", i))
	}
	fmt.Fprintln(os.Stdout, "serving")
	time.Sleep(200 * time.Millisecond) // the handlers queue on the lock
	c.refresh([]string{"a", "b"})
	c.mu.Unlock()
}
