// Command timer-churn models the timer leak of jellydator/ttlcache#18: the
// cache's expiration loop creates a new time.NewTimer for the next expiry
// on every turn (every Set wakes it) and never stops the one before, so
// each turn leaves a timer alive until it fires, an hour later. Under load
// the heap fills with timers and their channels.
//
// It runs -turns turns of that loop, then writes the heap profile into
// -out twice, at the same moment: heap.pb.gz (protobuf, inuse_space) and
// heap.debug1.txt (its debug=1 text). The asynctimerchan=1 directive keeps the timer
// implementation before Go 1.23, in which an unstopped timer stays in the
// heap until it fires (ttlcache's was that runtime); from Go 1.23 an
// unreferenced timer is collected.
//
//go:debug asynctimerchan=1
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

type Cache struct {
	ttl    time.Duration
	items  map[string]time.Time
	notify chan struct{}
}

// Set stores a key and wakes the expiration loop to look at the new expiry.
func (c *Cache) Set(key string) {
	c.items[key] = time.Now().Add(c.ttl)
	c.notify <- struct{}{}
}

// startExpirationProcessing waits for the next expiry or for a Set: a new
// timer on every turn, the old one never stopped.
func (c *Cache) startExpirationProcessing(turns int) {
	for i := 0; i < turns; i++ {
		timer := time.NewTimer(c.ttl)
		select {
		case <-timer.C:
		case <-c.notify:
		}
	}
}

func main() {
	turns := flag.Int("turns", 200000, "loop turns")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	runtime.MemProfileRate = 512
	c := &Cache{ttl: time.Hour, items: map[string]time.Time{}, notify: make(chan struct{}, *turns)}
	for i := 0; i < *turns; i++ {
		c.Set("key")
	}
	c.startExpirationProcessing(*turns)
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
	runtime.KeepAlive(c)
}
