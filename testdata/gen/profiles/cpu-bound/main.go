// Command cpu-bound is busy but healthy: four goroutines hash and sort data
// they allocated once, so the CPU profile is full of application work and
// nearly free of garbage collection. A triage tool must stay quiet on it.
// It writes -out/cpu.pb.gz after -for seconds.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"sync"
	"time"
)

func checksum(buf []byte, rounds int) [32]byte {
	sum := sha256.Sum256(buf)
	for i := 0; i < rounds; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum
}

func rank(xs []int) {
	for i := range xs {
		xs[i] = (xs[i]*1103515245 + 12345) & 0x7fffffff
	}
	sort.Ints(xs)
}

func work(stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	buf := make([]byte, 64<<10)
	xs := make([]int, 50000)
	for i := range xs {
		xs[i] = i
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		s := checksum(buf, 200)
		buf[0] = s[0]
		rank(xs)
	}
}

func main() {
	dur := flag.Duration("for", 6*time.Second, "how long to profile")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	f, err := os.Create(filepath.Join(*out, "cpu.pb.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.StartCPUProfile(f)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go work(stop, &wg)
	}
	time.Sleep(*dur)
	close(stop)
	wg.Wait()
	pprof.StopCPUProfile()
	f.Close()
	fmt.Println("done")
}
