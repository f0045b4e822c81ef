// Command waitgroup-never-done reproduces a batch that never finishes: an
// audit walks a list of items, one goroutine each, and waits for them with a
// sync.WaitGroup. The worker returns early on an item it skips without
// calling Done (the Done is at the end, not deferred), so Wait never
// returns. An HTTP server keeps the process alive, so the runtime's deadlock
// check (`all goroutines are asleep`) never fires: the process just hangs.
//
// -hold D (130s by default) keeps the hang for D after a garbage collection (the runtime notes
// when it first saw a goroutine blocked during a GC, so a dump a minute or
// more later prints the wait in minutes), then writes the goroutine profile
// (debug=2) to stdout and exits. -dump=sigquit instead prints a marker to
// stderr and waits for SIGQUIT.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

type Auditor struct {
	mu      sync.Mutex
	results map[string]int
}

// check audits one item. Items without a version are skipped, and the early
// return skips wg.Done too.
func (a *Auditor) check(wg *sync.WaitGroup, item string) {
	if !strings.Contains(item, "@") {
		return // skipped: Done is never called for this Add
	}
	a.mu.Lock()
	a.results[item] = len(item)
	a.mu.Unlock()
	wg.Done()
}

// Run audits every item and waits for all of them.
func (a *Auditor) Run(items []string) int {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go a.check(&wg, it)
	}
	wg.Wait()
	return len(a.results)
}

func main() {
	hold := flag.Duration("hold", 130*time.Second, "keep the hang this long (after a GC) before the dump")
	dump := flag.String("dump", "debug2", "debug2 or sigquit")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))

	go func() {
		time.Sleep(200 * time.Millisecond)
		runtime.GC() // marks the blocked goroutines' wait start
		if *dump == "sigquit" {
			time.Sleep(*hold)
			fmt.Fprintln(os.Stderr, "audit hung")
			return
		}
		time.Sleep(*hold)
		pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
		os.Exit(0)
	}()

	a := &Auditor{results: map[string]int{}}
	n := a.Run([]string{"golang.org/x/net@v0.30.0", "github.com/urfave/cli/v2", "golang.org/x/sys@v0.26.0"})
	fmt.Println("audited", n)
}
