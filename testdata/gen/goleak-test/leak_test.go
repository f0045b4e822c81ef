// A test that leaks a goroutine: fetchFirst starts one worker per mirror
// and returns after the first answer; the other workers block forever
// sending on the unbuffered results channel. goleak.VerifyNone reports them.
package leak

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func query(mirror string) string {
	time.Sleep(time.Duration(len(mirror)) * time.Millisecond)
	return "answer from " + mirror
}

func fetchFirst(mirrors []string) string {
	results := make(chan string) // unbuffered: the losers block on send
	for _, m := range mirrors {
		go func(m string) { results <- query(m) }(m)
	}
	return <-results
}

func TestFetchFirst(t *testing.T) {
	defer goleak.VerifyNone(t)
	if got := fetchFirst([]string{"a", "bb", "ccc"}); got == "" {
		t.Fatal("no answer")
	}
}

func TestNoLeak(t *testing.T) {
	defer goleak.VerifyNone(t)
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
}
