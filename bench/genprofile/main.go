// Command genprofile writes the profiles bench/run times gotriage on, from
// the real runtime: a goroutine profile (protobuf) of -goroutines parked
// goroutines spread over a few hundred distinct stacks (channel receives,
// sends, selects, mutexes, WaitGroups, sleeps at several call depths), and
// a CPU profile of -cpu seconds of work along many distinct call paths.
//
//	genprofile -goroutines 1000000 -o goroutine-1m.pb.gz
//	genprofile -cpu 30s -o cpu-large.pb.gz   (sampled at 1000 Hz)
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	recvQ  = make(chan int) // nobody sends
	sendQ  = make(chan int) // nobody receives
	mu     sync.Mutex
	wg     sync.WaitGroup
	sink   uint64
	parked sync.WaitGroup
)

// park blocks forever in one of several ways, at depth d of a recursion
// whose path (a, b, c) makes the stack distinct.
func park(kind, d int) {
	if d > 0 {
		switch d % 3 {
		case 0:
			parkA(kind, d-1)
		case 1:
			parkB(kind, d-1)
		default:
			parkC(kind, d-1)
		}
		return
	}
	parked.Done()
	switch kind % 6 {
	case 0:
		<-recvQ
	case 1:
		sendQ <- 1
	case 2:
		select {
		case <-recvQ:
		case sendQ <- 2:
		}
	case 3:
		mu.Lock()
	case 4:
		wg.Wait()
	default:
		time.Sleep(time.Hour)
	}
}

//go:noinline
func parkA(kind, d int) { park(kind, d) }

//go:noinline
func parkB(kind, d int) { park(kind, d) }

//go:noinline
func parkC(kind, d int) { park(kind, d) }

// burn does CPU work along a call path chosen by the bits of n.
//
//go:noinline
func burn(n uint64, d int) uint64 {
	if d == 0 {
		x := n
		for i := 0; i < 2000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		return x
	}
	switch n & 3 {
	case 0:
		return burnA(n>>2, d-1)
	case 1:
		return burnB(n>>2, d-1)
	case 2:
		return burnC(n>>2, d-1)
	default:
		return burnD(n>>2, d-1)
	}
}

//go:noinline
func burnA(n uint64, d int) uint64 { return burn(n, d) + 1 }

//go:noinline
func burnB(n uint64, d int) uint64 { return burn(n, d) + 2 }

//go:noinline
func burnC(n uint64, d int) uint64 { return burn(n, d) + 3 }

//go:noinline
func burnD(n uint64, d int) uint64 { return burn(n, d) + 4 }

func main() {
	n := flag.Int("goroutines", 0, "write a goroutine profile of this many parked goroutines")
	cpu := flag.Duration("cpu", 0, "write a CPU profile of this long")
	out := flag.String("o", "", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if *n > 0 {
		mu.Lock()
		wg.Add(1)
		parked.Add(*n)
		for i := 0; i < *n; i++ {
			go park(i%6, (i/6)%40)
		}
		parked.Wait()
		time.Sleep(100 * time.Millisecond)
		if err := pprof.Lookup("goroutine").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if *cpu > 0 {
		// 1000 Hz instead of 100 for a larger profile (StartCPUProfile then
		// warns that it cannot set the rate, and keeps this one).
		runtime.SetCPUProfileRate(1000)
		pprof.StartCPUProfile(f)
		end := time.Now().Add(*cpu)
		var w sync.WaitGroup
		for g := 0; g < runtime.GOMAXPROCS(0); g++ {
			w.Add(1)
			go func(seed uint64) {
				defer w.Done()
				for x := seed; time.Now().Before(end); x = x*2862933555777941757 + 3037000493 {
					sink += burn(x, 12)
				}
			}(uint64(g) + 1)
		}
		w.Wait()
		pprof.StopCPUProfile()
	}
}
