// Command send-on-closed-channel reproduces "send on closed channel": the
// consumer closes the events channel on shutdown while a producer still sends.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
	"time"
)

type event struct{ seq int }

func publish(events chan<- event, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; ; i++ {
		events <- event{seq: i}
		time.Sleep(time.Millisecond)
	}
}

func main() {
	events := make(chan event, 8)
	var wg sync.WaitGroup
	wg.Add(1)
	// Started inside the labelled region: the publisher inherits the labels
	// (a panic unwinding through pprof.Do itself would reset them).
	pprof.Do(context.Background(), pprof.Labels("job", "publish", "topic", "orders"),
		func(context.Context) { go publish(events, &wg) })
	for i := 0; i < 5; i++ {
		fmt.Println("got", (<-events).seq)
	}
	close(events) // shutdown: wrong side closes the channel
	wg.Wait()
}
