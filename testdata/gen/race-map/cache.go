// Package cache is the subject of the race-map scenario: a memo cache whose
// map is read and written from several goroutines without a lock. `go test
// -race` reports it.
package cache

type Memo struct {
	m map[int]int
}

func NewMemo() *Memo { return &Memo{m: make(map[int]int)} }

func (c *Memo) Get(k int) (int, bool) {
	v, ok := c.m[k]
	return v, ok
}

func (c *Memo) Put(k, v int) {
	c.m[k] = v
}

func Square(c *Memo, k int) int {
	if v, ok := c.Get(k); ok {
		return v
	}
	v := k * k
	c.Put(k, v)
	return v
}
