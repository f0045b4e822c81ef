// nil-receiver-dep: the application keeps a *spew.ConfigState in a struct
// field that nobody initialised and calls a method on it. The nil
// dereference happens inside the dependency (module cache); the trace
// prints the receiver as 0x0, and the value came from the app frame.
package main

import (
	"fmt"

	"github.com/davecgh/go-spew/spew"
)

type Reporter struct {
	dumper *spew.ConfigState // never set: NewReporter forgot it
}

func NewReporter() *Reporter { return &Reporter{} }

func (r *Reporter) Describe(v any) string {
	return r.dumper.Sdump(v)
}

func main() {
	r := NewReporter()
	fmt.Println("report:", r.Describe(map[string]int{"orders": 3}))
}
