// Package subpanic writes to a map its zero value never made: a panic in
// one subtest of a table-driven test (`TestSet/empty`), next to a subtest
// that passes.
package subpanic

// Fields holds named values; its zero value has no map.
type Fields struct {
	m map[string]int
}

// New makes a usable Fields.
func New() *Fields { return &Fields{m: map[string]int{}} }

// Set stores v under k.
func (f *Fields) Set(k string, v int) { f.m[k] = v }
