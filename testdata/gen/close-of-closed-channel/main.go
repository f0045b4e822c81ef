// Command close-of-closed-channel reproduces "close of closed channel": two
// shutdown paths both close the same stop channel.
package main

import (
	"fmt"
	"time"
)

type Server struct {
	stop chan struct{}
}

func (s *Server) Shutdown() {
	close(s.stop)
}

func (s *Server) onSignal() {
	fmt.Println("signal received, shutting down")
	s.Shutdown()
}

func (s *Server) onFatalError() {
	fmt.Println("fatal error in listener, shutting down")
	s.Shutdown()
}

func main() {
	s := &Server{stop: make(chan struct{})}
	s.onSignal()
	time.Sleep(10 * time.Millisecond)
	s.onFatalError()
}
