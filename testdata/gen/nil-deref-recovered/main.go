// Command nil-deref-recovered reproduces a nil dereference that a request
// wrapper recovers and logs with the stack; the program keeps going and exits 0.
package main

import (
	"log"
	"runtime/debug"
)

type Session struct {
	User *User
}

type User struct {
	ID    int
	Roles []string
}

func isAdmin(s *Session) bool {
	for _, r := range s.User.Roles {
		if r == "admin" {
			return true
		}
	}
	return false
}

func handle(reqID int, s *Session) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	log.Printf("request %d admin=%v", reqID, isAdmin(s))
}

func main() {
	handle(1, &Session{User: &User{ID: 7, Roles: []string{"admin"}}})
	handle(2, &Session{})
	handle(3, &Session{User: &User{ID: 8}})
	log.Printf("done")
}
