// Command goroutine-pileup models golang/go#9869's heap listing: a server
// that starts a goroutine per request to publish its result on an
// unbuffered channel, while the one reader gave up long ago. Every
// goroutine stays parked in its send, and the runtime's descriptor for each
// one (runtime.malg's allocation, kept for reuse and never freed) fills
// the heap.
//
// It serves -requests requests that way, then writes the heap profile into
// -out twice, at the same moment: heap.pb.gz (protobuf, inuse_space) and
// heap.debug1.txt (its debug=1 text); regen-listings turns the first into
// heap.top.txt as `go tool pprof -top` prints it.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

type result struct{ id int }

// handle answers one request and publishes its result for a reader that is
// no longer there: the send blocks forever.
func handle(id int, results chan<- result) {
	go func() {
		results <- result{id: id}
	}()
}

func main() {
	requests := flag.Int("requests", 40000, "requests served")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	runtime.MemProfileRate = 512
	results := make(chan result)
	for i := 0; i < *requests; i++ {
		handle(i, results)
	}
	time.Sleep(200 * time.Millisecond) // every sender parked
	runtime.GC()
	for _, w := range []struct {
		name  string
		debug int
	}{{"heap.pb.gz", 0}, {"heap.debug1.txt", 1}} {
		f, err := os.Create(filepath.Join(*out, w.name))
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.Lookup("heap").WriteTo(f, w.debug); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
}
