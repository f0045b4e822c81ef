// Command panicparse is a benchmark peer: it parses a goroutine dump with
// github.com/maruel/panicparse/v2/stack.ScanSnapshot and prints the number of
// goroutines parsed.
//
// Usage: panicparse [-aggregate] [-max N] FILE
//
// With -aggregate it also runs snapshot.Aggregate(stack.AnyPointer) and prints
// the number of buckets. Aggregate is O(n²) in the number of goroutines for
// some inputs and takes minutes on a 100k-goroutine dump, so -aggregate refuses
// (exit 3, message on stderr) when the dump holds more than -max goroutines
// (default 20000). Pass -max 0 to lift the guard.
//
// Options: stack.DefaultOpts() with AnalyzeSources off, because the source
// files named in a synthetic (or foreign) dump are not on this machine.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/maruel/panicparse/v2/stack"
)

func main() {
	aggregate := flag.Bool("aggregate", false, "also run Snapshot.Aggregate(stack.AnyPointer)")
	maxG := flag.Int("max", 20000, "with -aggregate: refuse dumps with more goroutines than this (0 = no limit)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: panicparse [-aggregate] [-max N] FILE")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	opts := stack.DefaultOpts()
	opts.AnalyzeSources = false

	var in io.Reader = bufio.NewReaderSize(f, 1<<20)
	total, snapshots := 0, 0
	var snaps []*stack.Snapshot
	for {
		s, suffix, err := stack.ScanSnapshot(in, io.Discard, opts)
		if s != nil {
			snapshots++
			total += len(s.Goroutines)
			snaps = append(snaps, s)
		}
		if err == io.EOF || (s == nil && err == nil) {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "panicparse:", err)
			break
		}
		in = io.MultiReader(bytes.NewReader(suffix), in)
	}
	if !*aggregate {
		fmt.Printf("goroutines %d snapshots %d\n", total, snapshots)
		return
	}
	if *maxG > 0 && total > *maxG {
		fmt.Fprintf(os.Stderr, "panicparse: -aggregate refused: %d goroutines > -max %d\n", total, *maxG)
		fmt.Printf("goroutines %d snapshots %d\n", total, snapshots)
		os.Exit(3)
	}
	buckets := 0
	for _, s := range snaps {
		buckets += len(s.Aggregate(stack.AnyPointer).Buckets)
	}
	fmt.Printf("goroutines %d snapshots %d buckets %d\n", total, snapshots, buckets)
}
