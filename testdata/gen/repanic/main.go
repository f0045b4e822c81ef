// Command repanic reproduces nested panics. Mode "different" (default): a
// deferred cleanup recovers a panic and panics again with a different value,
// giving "panic: A [recovered]" followed by "\tpanic: B". Mode "same": the
// recovered value is re-panicked unchanged, which Go 1.25+ prints as
// "[recovered, repanicked]".
package main

import (
	"errors"
	"fmt"
	"os"
)

var errCorrupt = errors.New("ledger: corrupt entry at offset 4096")

func readLedger() {
	panic(errCorrupt)
}

func replayDifferent() {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("replay aborted: rollback failed after %v", r))
		}
	}()
	readLedger()
}

func replaySame() {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "replay: cleanup done, re-raising")
			panic(r)
		}
	}()
	readLedger()
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "same" {
		replaySame()
		return
	}
	replayDifferent()
}
