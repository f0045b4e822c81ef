// Command reader-leak reproduces the object-reader leak of
// techknowlogick/certmagic-s3#9 (minio-go GetObject): opening an object
// starts a goroutine that serves reads until the object is closed, and the
// caller never calls Close. Every request leaves one goroutine parked in a
// select on channels nobody will use again.
//
// Four request goroutines call Load in a loop. After -at leaked readers it
// writes the goroutine profile (pprof debug=-debug) to stdout and exits.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync/atomic"
	"time"
)

type readReq struct {
	n     int
	reply chan []byte
}

type Object struct {
	reqs chan readReq
	done chan struct{}
}

var opened int64

// GetObject returns a reader served by its own goroutine until Close.
func GetObject(key string) *Object {
	o := &Object{reqs: make(chan readReq), done: make(chan struct{})}
	atomic.AddInt64(&opened, 1)
	go func() {
		for {
			select {
			case r := <-o.reqs:
				r.reply <- make([]byte, r.n)
			case <-o.done:
				return
			}
		}
	}()
	return o
}

func (o *Object) Read(n int) []byte {
	r := readReq{n, make(chan []byte)}
	o.reqs <- r
	return <-r.reply
}

func (o *Object) Close() { close(o.done) }

// Load reads the head of a certificate object; it forgets to Close it.
func Load(key string) int {
	obj := GetObject(key)
	return len(obj.Read(16))
}

func requests(id int) {
	for n := 0; ; n++ {
		Load(fmt.Sprintf("certificates/%d/%d.crt", id, n))
		time.Sleep(100 * time.Microsecond)
	}
}

func main() {
	at := flag.Int64("at", 500, "dump once this many readers are open")
	debug := flag.Int("debug", 1, "pprof debug level")
	flag.Parse()
	for i := 0; i < 4; i++ {
		go requests(i)
	}
	for atomic.LoadInt64(&opened) < *at {
		time.Sleep(time.Millisecond)
	}
	pprof.Lookup("goroutine").WriteTo(os.Stdout, *debug)
}
