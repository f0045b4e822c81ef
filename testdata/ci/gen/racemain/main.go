// Command racemain races on a global from main and a goroutine (go run -race).
package main

import (
	"fmt"
	"time"
)

var requests int

func count() { requests++ }

func main() {
	go count()
	requests++
	time.Sleep(50 * time.Millisecond)
	fmt.Println(requests)
}
