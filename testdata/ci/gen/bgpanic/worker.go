// Package bgpanic panics in a goroutine started by the code under test.
package bgpanic

import "time"

type job struct{ name string }

// Start runs a job in the background; a nil job crashes the process.
func Start(j *job) {
	go func() {
		_ = len(j.name)
	}()
	time.Sleep(50 * time.Millisecond)
}
