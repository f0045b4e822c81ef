// Command recovered-panic-storm reproduces a service whose request wrapper
// recovers the same nil dereference 200 times and logs each with its stack
// (a bad config value hits every request); the program keeps going and
// exits 0. The log holds 200 identical incidents.
package main

import (
	"log"
	"runtime/debug"
)

type Tenant struct {
	Plan *Plan
}

type Plan struct {
	Quota int
}

func quota(t *Tenant) int {
	return t.Plan.Quota
}

func handle(reqID int, t *Tenant) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	log.Printf("request %d quota=%d", reqID, quota(t))
}

func main() {
	for i := 1; i <= 200; i++ {
		handle(i, &Tenant{})
	}
}
