// Command concurrent-map-read-write reproduces "fatal error: concurrent map read
// and map write": a config cache is refreshed in the background while request
// goroutines read it without synchronisation.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"time"
)

type configCache struct {
	values map[string]string
}

func (c *configCache) lookup(key string) string {
	return c.values[key]
}

func (c *configCache) refresh(gen int) {
	for i := 0; i < 128; i++ {
		c.values[fmt.Sprintf("feature.%d", i)] = fmt.Sprintf("v%d", gen)
	}
}

func refresher(c *configCache) {
	for gen := 0; ; gen++ {
		c.refresh(gen)
	}
}

func serve(c *configCache, id int) {
	n := 0
	for {
		if c.lookup(fmt.Sprintf("feature.%d", (id+n)%128)) != "" {
			n++
		}
	}
}

func main() {
	c := &configCache{values: make(map[string]string)}
	go pprof.Do(context.Background(), pprof.Labels("job", "config-refresh"),
		func(context.Context) { refresher(c) })
	tenants := []string{"acme \"eu\"", "t1"}
	for i := 0; i < 2; i++ {
		go func(i int) {
			labels := pprof.Labels("route", "/v1/config", "tenant", tenants[i])
			pprof.Do(context.Background(), labels, func(context.Context) { serve(c, i) })
		}(i)
	}
	time.Sleep(30 * time.Second)
	panic("reproducer did not crash in time")
}
