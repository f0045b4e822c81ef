// Command k8s-handlecrash reproduces a panic recovered and logged by a
// framework: a controller-style worker runs its sync function under
// `defer utilruntime.HandleCrash()` (k8s.io/apimachinery), as Kubernetes
// controllers do. The sync dereferences a nil *Spec of an object from the
// cache. HandleCrash logs "Observed a panic" with the stack through klog,
// whose first frames are the handler's own (logPanic, HandleCrash) above
// panic(); with ReallyCrash=false the process keeps running, as in
// controllers that set it. With -really-crash (apimachinery's default)
// HandleCrash re-panics after logging and the process dies with the runtime's
// trace, whose first frames are HandleCrash's again. Either way the culprit
// is the first frame below the handler's panic().
//
// go.mod pins apimachinery v0.26.15 / klog v2.80.1 (klog text: `Observed a
// panic: ...` then the stack). go.v031.mod pins v0.31.3 / klog v2.130.1,
// whose structured `"Observed a panic" ... stacktrace=<` puts the stack in a
// tab-indented block (`go build -modfile=go.v031.mod`); that capture is not
// a fixture yet because the scanner does not peel that block (issue 15
// item 1).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/klog/v2"
)

type Spec struct{ Replicas int }

type Object struct {
	Name string
	Spec *Spec
}

type Controller struct{ cache map[string]*Object }

func (c *Controller) desiredReplicas(key string) int {
	obj := c.cache[key]
	return obj.Spec.Replicas // Spec is nil for objects created without one
}

func (c *Controller) syncHandler(key string) {
	defer utilruntime.HandleCrash()
	n := c.desiredReplicas(key)
	fmt.Println("synced", key, n)
}

func main() {
	reallyCrash := flag.Bool("really-crash", false, "let HandleCrash re-panic (apimachinery's default)")
	flag.Parse()
	utilruntime.ReallyCrash = *reallyCrash
	c := &Controller{cache: map[string]*Object{
		"default/web": {Name: "web", Spec: &Spec{Replicas: 3}},
		"default/job": {Name: "job"},
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, k := range []string{"default/web", "default/job"} {
			c.syncHandler(k)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		os.Exit(3)
	}
	klog.Flush()
}
