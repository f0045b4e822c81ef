// Command gc-churn models the kube-proxy incident of kubernetes/kubernetes
// (a proxier that burned its CPU in garbage collection): on every tick of a
// sync loop, syncProxyRules walks thousands of services and, for each one,
// calls getLocalAddresses, which builds a fresh list of many small objects
// (the node's addresses) although the answer is the same for every service.
// The fix is to hoist that call out of the loop. The proxier also keeps a
// large, pointer-rich table of endpoints alive, which every GC cycle must
// mark, so the churn turns into GC work.
//
// It runs -for seconds with a CPU profile on, then writes into -out:
// cpu.pb.gz (runtime/pprof.StartCPUProfile), allocs.pb.gz (allocs profile,
// debug=0) and heap.debug1.txt (heap profile, debug=1 text). Run it with
// GODEBUG=gctrace=1 and keep its stderr for the gctrace lines.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"
)

type service struct {
	name      string
	clusterIP string
	port      int
}

type endpoint struct {
	ip   *string
	next *endpoint
	svc  *service
}

type localAddress struct {
	iface string
	ip    *string
	mask  *int
}

var interfaces = []string{"eth0", "eth1", "cni0", "flannel.1", "lo", "docker0", "veth1", "veth2"}

// getLocalAddresses lists the node's addresses: a new slice of new small
// objects on every call.
func getLocalAddresses() []*localAddress {
	var out []*localAddress
	for i, name := range interfaces {
		for j := 0; j < 8; j++ {
			ip := "10." + strconv.Itoa(i) + ".0." + strconv.Itoa(j)
			mask := 24
			out = append(out, &localAddress{iface: name, ip: &ip, mask: &mask})
		}
	}
	return out
}

// syncProxyRules is called on every tick; it calls getLocalAddresses once
// per service.
func syncProxyRules(services []*service) int {
	local := 0
	for _, svc := range services {
		addrs := getLocalAddresses() // the bug: the same answer, once per service
		for _, a := range addrs {
			if *a.ip == svc.clusterIP {
				local++
			}
		}
	}
	return local
}

func main() {
	n := flag.Int("services", 3000, "services")
	dur := flag.Duration("for", 6*time.Second, "how long to profile")
	out := flag.String("out", ".", "output directory")
	flag.Parse()

	services := make([]*service, *n)
	for i := range services {
		services[i] = &service{name: "svc-" + strconv.Itoa(i), clusterIP: "172.20." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250), port: 80}
	}
	// The endpoint table: long chains of small objects, all alive.
	var table []*endpoint
	for i := 0; i < 400000; i++ {
		ip := "10.244." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250)
		var prev *endpoint
		if len(table) > 0 {
			prev = table[len(table)-1]
		}
		table = append(table, &endpoint{ip: &ip, next: prev, svc: services[i%len(services)]})
	}

	cpu, err := os.Create(filepath.Join(*out, "cpu.pb.gz"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.StartCPUProfile(cpu)
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	end := time.Now().Add(*dur)
	syncs, local := 0, 0
	for time.Now().Before(end) {
		<-ticker.C
		local += syncProxyRules(services)
		syncs++
	}
	pprof.StopCPUProfile()
	cpu.Close()

	f, _ := os.Create(filepath.Join(*out, "allocs.pb.gz"))
	pprof.Lookup("allocs").WriteTo(f, 0)
	f.Close()
	runtime.GC() // the heap profile shows the last completed cycle
	f, _ = os.Create(filepath.Join(*out, "heap.debug1.txt"))
	pprof.Lookup("heap").WriteTo(f, 1)
	f.Close()
	runtime.KeepAlive(table)
	fmt.Println("syncs", syncs, "local", local, "endpoints", len(table))
}
