// Command healthy-worker-pool is a healthy service with a large, idle worker
// pool: main starts -workers goroutines once, each ranging over the same job
// channel (`for j := range jobs`), and no job has arrived yet. It writes its
// goroutine profile (pprof debug=-debug) to stdout and exits.
//
// Nothing is wrong here, at any pool size: the workers wait for work on their
// own channel and were all created by one goroutine (main) in one loop. A
// triage tool must not call this a goroutine leak (issue 16, item 2: a pool
// of 256 was reported as a HIGH leak because only pools of 64 or fewer were
// exempt).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type job struct {
	id      int
	payload []byte
}

type result struct {
	id  int
	sum int
}

func worker(jobs <-chan job, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		s := 0
		for _, b := range j.payload {
			s += int(b)
		}
		results <- result{j.id, s}
	}
}

func collect(results <-chan result, done chan<- int) {
	n := 0
	for range results {
		n++
	}
	done <- n
}

func main() {
	workers := flag.Int("workers", 256, "pool size")
	debug := flag.Int("debug", 2, "pprof debug level")
	flag.Parse()

	jobs := make(chan job)
	results := make(chan result, 64)
	done := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go worker(jobs, results, &wg)
	}
	go collect(results, done)
	time.Sleep(200 * time.Millisecond) // every worker is parked on jobs

	if err := pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	close(jobs)
	wg.Wait()
	close(results)
	<-done
}
