// Command gostackparse is a benchmark peer: it parses a whole goroutine dump
// with github.com/DataDog/gostackparse and prints the number of goroutines.
//
// Usage: gostackparse FILE
//
// Output (stdout): "goroutines N errors E". Exit status is 0 even when the
// parser reported errors, so that the bench can still time it; the count is
// what the bench compares across tools.
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/DataDog/gostackparse"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gostackparse FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	gs, errs := gostackparse.Parse(bufio.NewReaderSize(f, 1<<20))
	fmt.Printf("goroutines %d errors %d\n", len(gs), len(errs))
}
