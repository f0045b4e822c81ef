// Command unlock-of-unlocked-mutex reproduces "fatal error: sync: unlock of
// unlocked mutex": an early-return path unlocks twice.
package main

import (
	"errors"
	"fmt"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

func (a *Account) Withdraw(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n > a.balance {
		a.mu.Unlock()
		return errors.New("insufficient funds")
	}
	a.balance -= n
	return nil
}

func main() {
	a := &Account{balance: 100}
	fmt.Println(a.Withdraw(30))
	fmt.Println(a.Withdraw(500))
}
