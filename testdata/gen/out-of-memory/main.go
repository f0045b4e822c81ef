// Command out-of-memory reproduces "fatal error: runtime: out of memory": a
// cache that keeps every response body. Run it under `ulimit -v 1000000`.
package main

import "fmt"

type responseCache struct {
	bodies [][]byte
}

func (c *responseCache) store(n int) {
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(n + i)
	}
	c.bodies = append(c.bodies, buf)
}

func main() {
	c := &responseCache{}
	for i := 0; i < 1000; i++ {
		c.store(i)
		if i%4 == 0 {
			fmt.Printf("cached %d MiB\n", (i+1)*64)
		}
	}
}
