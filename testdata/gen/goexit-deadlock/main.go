// Command goexit-deadlock reproduces "no goroutines (main called
// runtime.Goexit) - deadlock!": main calls runtime.Goexit (here via log-and-exit
// helper misuse) after its workers finished.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func finish() {
	fmt.Println("main: handing off to workers")
	runtime.Goexit()
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			fmt.Println("worker", id, "done")
		}(i)
	}
	wg.Wait()
	finish()
}
