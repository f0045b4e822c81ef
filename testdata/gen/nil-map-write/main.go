// Command nil-map-write reproduces "assignment to entry in nil map": a struct
// whose map field is never initialised.
package main

import "fmt"

type Registry struct {
	services map[string]string
}

func (r *Registry) Register(name, addr string) {
	r.services[name] = addr
}

func main() {
	var r Registry
	r.Register("billing", "10.0.0.5:8080")
	fmt.Println(r.services)
}
