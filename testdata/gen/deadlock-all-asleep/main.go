// Command deadlock-all-asleep reproduces "fatal error: all goroutines are
// asleep - deadlock!": results are sent on an unbuffered channel that is only
// read after wg.Wait returns.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"strconv"
	"sync"
)

func fetch(id int, results chan<- string, wg *sync.WaitGroup) {
	defer wg.Done()
	results <- fmt.Sprintf("item-%d", id)
}

func main() {
	results := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			labels := pprof.Labels("job", "fetch-items", "item", strconv.Itoa(i))
			pprof.Do(context.Background(), labels, func(context.Context) { fetch(i, results, &wg) })
		}(i)
	}
	wg.Wait()
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}
