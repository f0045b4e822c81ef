// Command sigquit-busy runs CPU-bound workers plus a few idle goroutines until
// it is killed; the capture script sends SIGQUIT to get the runtime's dump.
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

func hashLoop(id int) {
	buf := []byte(fmt.Sprintf("seed-%d", id))
	for {
		s := sha256.Sum256(buf)
		buf = s[:]
	}
}

func idle(c <-chan struct{}) {
	<-c
}

func main() {
	stop := make(chan struct{})
	for i := 0; i < 4; i++ {
		go pprof.Do(context.Background(), pprof.Labels("job", "hash-chain", "worker", strconv.Itoa(i)),
			func(context.Context) { hashLoop(i) })
	}
	for i := 0; i < 2; i++ {
		go idle(stop)
	}
	fmt.Fprintln(os.Stdout, "ready")
	time.Sleep(60 * time.Second)
}
