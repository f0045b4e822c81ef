// Command deadlock-all-asleep reproduces "fatal error: all goroutines are
// asleep - deadlock!": results are sent on an unbuffered channel that is only
// read after wg.Wait returns.
package main

import (
	"fmt"
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
		go fetch(i, results, &wg)
	}
	wg.Wait()
	close(results)
	for r := range results {
		fmt.Println(r)
	}
}
