// Command gendump writes a synthetic goroutine dump in the exact text format
// the Go runtime prints: debug=2 (runtime.Stack(buf, true), also served by
// /debug/pprof/goroutine?debug=2) or debug=1 (/debug/pprof/goroutine?debug=1,
// the "goroutine profile: total N" form aggregated by stack and labels).
//
// Usage:
//
//	gendump [-n 10000] [-format debug2|debug1] [-seed 1] [-stacks 300] [-o FILE]
//
// The output is a pure function of the flags. The same -n/-seed/-stacks give
// the same per-stack goroutine counts in both formats.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// ---- pre-rendered frames ----

type seg struct {
	lit  string
	kind byte   // 0 literal, 'p' pointer, 'P' pointer+"?", 'x' small hex, 'X' small hex+"?", 'm' off-heap pointer
	v    uint64 // 'x'/'X': the call site's usual value
}

type rframe struct {
	prefix string // "fn("
	segs   []seg
	suffix string // ")\n\tfile:line +0xoff\n"
	f      F
}

type stack struct {
	name     string
	reason   string
	hidden   int
	minutesP float64
	maxMin   int
	frames   []rframe
	creator  F // Fn == "" → no "created by" (goroutine 1)
	parent   int
	weight   float64
	labels   int // 0 none, 1 a few label sets, 2 one unique label set per goroutine
	labelSet []string
	singleID int // >0: singleton goroutine with this id
}

func fnHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// textAddr is a stable text-segment address for a function or literal key.
func textAddr(key string) uint64 {
	return 0x401000 + (fnHash(key)%0x1400000)&^0x1f
}

func parseArgs(tmpl string, key string) []seg {
	if tmpl == "..." {
		return []seg{{lit: "..."}}
	}
	var segs []seg
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, seg{lit: lit.String()})
			lit.Reset()
		}
	}
	isDelim := func(i int) bool {
		if i < 0 || i >= len(tmpl) {
			return true
		}
		switch tmpl[i] {
		case ' ', ',', '{', '}', '?':
			return true
		}
		return false
	}
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if (c == 'p' || c == 'x' || c == 'a' || c == 'm') && isDelim(i-1) && isDelim(i+1) {
			q := i+1 < len(tmpl) && tmpl[i+1] == '?'
			switch c {
			case 'a': // fixed per frame position: interface type word / funcval
				lit.WriteString("0x" + strconv.FormatUint(textAddr(key+strconv.Itoa(i)), 16))
				if q {
					lit.WriteByte('?')
					i++
				}
				continue
			case 'p':
				flush()
				if q {
					segs = append(segs, seg{kind: 'P'})
					i++
				} else {
					segs = append(segs, seg{kind: 'p'})
				}
			case 'm':
				flush()
				segs = append(segs, seg{kind: 'm'})
			case 'x':
				flush()
				// usual value at this call site: a length, a flag, a small int
				h := fnHash(key + "x" + strconv.Itoa(i))
				v := []uint64{0, 0x1, 0x8, 0x10, 0x20, 0x40, 0x100, 0x1000, h % 0x80, h % 0x2000}[h%10]
				if q {
					segs = append(segs, seg{kind: 'X', v: v})
					i++
				} else {
					segs = append(segs, seg{kind: 'x', v: v})
				}
			}
			continue
		}
		lit.WriteByte(c)
	}
	flush()
	return segs
}

func fileLine(f F) string {
	s := f.File + ":" + strconv.Itoa(f.Line)
	if f.Args != "..." {
		s += " +0x" + strconv.FormatInt(int64(f.Off), 16)
	}
	return s
}

func render(f F) rframe {
	return rframe{
		prefix: f.Fn + "(",
		segs:   parseArgs(f.Args, f.Fn+f.File),
		suffix: ")\n\t" + fileLine(f) + "\n",
		f:      f,
	}
}

// ---- application frame pool ----

type appFn struct {
	fn, file, args string
	line           int
}

var appPkgs = []struct {
	pkg   string
	types []string
	verbs []string
}{
	{"api", []string{"OrderHandler", "CartHandler", "AdminHandler", "WebhookHandler"}, []string{"GetOrder", "ListOrders", "CreateOrder", "CancelOrder", "UpdateCart", "Checkout", "handleEvent", "writeJSON"}},
	{"service", []string{"OrderService", "PaymentService", "ShippingService", "PricingService"}, []string{"Place", "Get", "Refund", "Quote", "reserveStock", "applyDiscounts", "notifyCustomer", "validate"}},
	{"store", []string{"OrderRepo", "CustomerRepo", "OutboxRepo", "InventoryRepo"}, []string{"FindByID", "Insert", "UpdateStatus", "ListPending", "Lock", "withTx", "scanOrder", "Reserve"}},
	{"cache", []string{"Cache", "shard", "LRU"}, []string{"Get", "Set", "evict", "Refresh", "loadThrough", "getOrLoad"}},
	{"events", []string{"Publisher", "Consumer", "Dispatcher"}, []string{"Publish", "handle", "dispatch", "ack", "flush", "retry"}},
	{"billing", []string{"Client", "Invoicer", "Ledger"}, []string{"Charge", "CreateInvoice", "post", "Reconcile", "doRequest"}},
	{"inventory", []string{"Client", "Reservations", "Sync"}, []string{"Reserve", "Release", "Check", "pull", "apply"}},
	{"auth", []string{"Verifier", "TokenCache", "Middleware"}, []string{"Verify", "Token", "refresh", "keys", "Wrap"}},
	{"ratelimit", []string{"Limiter", "bucket"}, []string{"Wait", "Allow", "take", "refill"}},
	{"worker", []string{"Pool", "Job", "Scheduler"}, []string{"process", "runJob", "Submit", "tick", "drain"}},
	{"notify", []string{"Mailer", "SMSSender", "Batcher"}, []string{"Send", "enqueue", "flushBatch", "render"}},
}

var appArgs = []string{"p", "p?", "p, {a, p}", "p, {a, p}, {p, x}", "{a, p}, p", "p?, {a?, p?}, {p?, x?}", "p, {a, p}, p?, x", "{a?, p?}, {p?, x?}", "p, x, x?", "", "p?, p?, x?", "p, {a, p}, {p, 0x24}, 0x1"}

func buildAppPool(r *rand.Rand) []appFn {
	var pool []appFn
	for _, pk := range appPkgs {
		for _, t := range pk.types {
			file := appRoot + "internal/" + pk.pkg + "/" + strings.ToLower(t[:1]) + t[1:] + ".go"
			file = strings.ToLower(strings.TrimSuffix(file, ".go")) + ".go"
			for _, v := range pk.verbs {
				if r.IntN(3) == 0 {
					continue
				}
				recv := "(*" + t + ")"
				if r.IntN(6) == 0 {
					recv = t
				}
				fn := appModule + "/internal/" + pk.pkg + "." + recv + "." + v
				line := 30 + r.IntN(600)
				pool = append(pool, appFn{fn, file, appArgs[r.IntN(len(appArgs))], line})
				if r.IntN(4) == 0 { // a closure inside it
					pool = append(pool, appFn{fn + ".func" + strconv.Itoa(1+r.IntN(3)), file, appArgs[r.IntN(len(appArgs))], line + 5 + r.IntN(40)})
				}
			}
		}
	}
	return pool
}

func appFrame(r *rand.Rand, a appFn) F {
	return F{a.fn, a.args, a.file, a.line + 1 + r.IntN(60), 0x1b + r.IntN(0x4c0)}
}

// ---- stack construction ----

var leafWeights = map[string]int{
	"chanrecv": 12, "chansend": 6, "select": 12, "mutex": 8, "rlock": 4, "wlock": 3, "wg": 5,
	"cond": 3, "sleep": 5, "httpclient": 8, "getconn": 4, "sqlconn": 5, "pgxread": 5,
	"redisread": 5, "fdwrite": 2, "syscall": 3, "runnable": 4,
}
var rootWeights = map[string]int{"http": 35, "grpc": 20, "worker": 15, "errgroup": 15, "consumer": 15}

func pickWeighted[T any](r *rand.Rand, items []T, w func(T) int) T {
	total := 0
	for _, it := range items {
		total += w(it)
	}
	x := r.IntN(total)
	for _, it := range items {
		x -= w(it)
		if x < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// shortHTTP keeps only the essential http root frames (no middleware).
func shortHTTP(fr []F) []F {
	var out []F
	for _, f := range fr {
		if strings.Contains(f.Fn, "otelhttp") || strings.Contains(f.Fn, "Recoverer") {
			continue
		}
		out = append(out, f)
	}
	// drop the now-duplicated HandlerFunc.ServeHTTP frames beyond two
	var dedup []F
	n := 0
	for _, f := range out {
		if f.Fn == "net/http.HandlerFunc.ServeHTTP" {
			n++
			if n > 2 {
				continue
			}
		}
		dedup = append(dedup, f)
	}
	return dedup
}

func fromComplete(c Complete) *stack {
	s := &stack{name: c.Name, reason: c.Reason, hidden: c.Hidden, minutesP: c.Minutes, creator: c.Creator, parent: c.Parent}
	for _, f := range c.Frames {
		s.frames = append(s.frames, render(f))
	}
	return s
}

func key(s *stack) string {
	var b strings.Builder
	b.WriteString(s.reason)
	for _, f := range s.frames {
		b.WriteString(f.prefix)
		b.WriteString(f.suffix)
	}
	b.WriteString(s.creator.Fn)
	return b.String()
}

func buildStacks(r *rand.Rand, nstacks int) []*stack {
	pool := buildAppPool(r)
	seen := map[string]bool{}
	var out []*stack
	add := func(s *stack) bool {
		k := key(s)
		if seen[k] || len(s.frames) < 5 || len(s.frames) > 30 {
			return false
		}
		seen[k] = true
		out = append(out, s)
		return true
	}
	for _, c := range completes {
		add(fromComplete(c))
	}
	for tries := 0; len(out) < nstacks && tries < nstacks*100; tries++ {
		lf := pickWeighted(r, leaves, func(l Leaf) int { return leafWeights[l.Name] })
		rt := pickWeighted(r, roots, func(x Root) int { return rootWeights[x.Name] })
		var fr []F
		fr = append(fr, lf.Frames...)
		if len(lf.Deps) > 0 && r.IntN(3) == 0 {
			fr = append(fr, lf.Deps[r.IntN(len(lf.Deps))]...)
		}
		rootFr := rt.Frames
		// app chain: 1..9 frames, mostly 2..5
		k := 1 + r.IntN(4) + r.IntN(3) + r.IntN(3)
		if len(fr)+k+len(rootFr) > 30 && rt.Name == "http" {
			rootFr = shortHTTP(rootFr)
		}
		for len(fr)+k+len(rootFr) > 30 && k > 1 {
			k--
		}
		for len(fr)+k+len(rootFr) < 5 {
			k++
		}
		for i := 0; i < k; i++ {
			fr = append(fr, appFrame(r, pool[r.IntN(len(pool))]))
		}
		fr = append(fr, rootFr...)
		s := &stack{name: lf.Name + "/" + rt.Name, reason: lf.Reason, hidden: lf.Hidden, minutesP: lf.Minutes, creator: rt.Creator, parent: rt.Parent}
		if rt.Parent == 0 || rt.Parent == -2 {
			s.parent = 0
		}
		for _, f := range fr {
			s.frames = append(s.frames, render(f))
		}
		if (rt.Name == "http" || rt.Name == "grpc") && r.IntN(100) < 35 {
			s.labels = 1
			if r.IntN(100) < 30 {
				s.labels = 2
			}
		}
		add(s)
	}
	// Zipf-like weights over a random order: a few stacks dominate (the leak),
	// a long tail appears a handful of times.
	perm := r.Perm(len(out))
	for i, p := range perm {
		out[p].weight = 1 / math.Pow(float64(i+1), 1.1)
		out[p].maxMin = 1 + r.IntN(1500)
	}
	for _, s := range out {
		if s.labels == 1 {
			nset := 2 + r.IntN(5)
			route := "/v1/" + []string{"orders", "carts", "payments", "shipments", "customers"}[r.IntN(5)]
			for j := 0; j < nset; j++ {
				s.labelSet = append(s.labelSet, fmt.Sprintf("{%q:%q, %q:%q}", "route", route, "tenant", fmt.Sprintf("t-%03d", r.IntN(400))))
			}
		}
	}
	return out
}

// ---- per-goroutine rendering ----

type gen struct {
	r        *rand.Rand
	heapBase uint64
	buf      []byte
	// labels: print runtime/pprof labels in the Go 1.27 header form
	// (`goroutine 7 [chan send] {route: /v1/orders, tenant: t-017}:`), drawn
	// from lr so that the rest of the dump is the same as without them.
	labels bool
	lr     *rand.Rand
}

var routes = []string{"/v1/orders", "/v1/carts", "/v1/payments", "/v1/shipments", "/v1/customers"}

// labelList appends ` {k: v, ...}` as go1.27's goroutineheader prints it:
// keys sorted, values bare when they hold only [A-Za-z0-9./_], else quoted.
// Every goroutine but the dumper gets route and tenant; one in three a
// request_id (a UUID: quoted), one in eight a user with a blank and a quote.
func (g *gen) labelList(b []byte, id int) []byte {
	if !g.labels || id == 1 {
		return b
	}
	b = append(b, " {"...)
	if g.lr.IntN(3) == 0 {
		b = append(b, "request_id: "...)
		b = strconv.AppendQuote(b, uuid(g.lr))
		b = append(b, ", "...)
	}
	b = append(b, "route: "...)
	b = append(b, routes[g.lr.IntN(len(routes))]...)
	b = append(b, ", tenant: t_"...)
	b = strconv.AppendInt(b, int64(g.lr.IntN(400)), 10)
	if g.lr.IntN(8) == 0 {
		b = append(b, `, user: "a b\"c, x}"`...)
	}
	return append(b, '}')
}

func (g *gen) ptr() uint64 {
	return g.heapBase + (g.r.Uint64N(1<<34))&^0x7
}

func (g *gen) args(b []byte, segs []seg) []byte {
	for _, s := range segs {
		switch s.kind {
		case 0:
			b = append(b, s.lit...)
		case 'p', 'P':
			b = append(b, "0x"...)
			b = strconv.AppendUint(b, g.ptr(), 16)
			if s.kind == 'P' {
				b = append(b, '?')
			}
		case 'm': // pollDesc etc.: allocated off-heap (persistentalloc)
			b = append(b, "0x7f"...)
			b = strconv.AppendUint(b, 0x1000000000+g.r.Uint64N(0xe000000000)&^0x7, 16)
		case 'x', 'X':
			b = append(b, "0x"...)
			v := s.v
			if g.r.IntN(40) == 0 { // sometimes a different length/count
				v = g.r.Uint64N(0x8000)
			}
			b = strconv.AppendUint(b, v, 16)
			if s.kind == 'X' {
				b = append(b, '?')
			}
		}
	}
	return b
}

func (g *gen) goroutine(b []byte, s *stack, id, parent int) []byte {
	b = append(b, "goroutine "...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, " ["...)
	b = append(b, s.reason...)
	if s.reason != "running" && s.reason != "runnable" && g.r.Float64() < s.minutesP {
		m := 1 + g.r.IntN(s.maxMin+1)
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, " minutes"...)
	}
	b = append(b, ']')
	b = g.labelList(b, id)
	b = append(b, ":\n"...)
	for i := range s.frames {
		f := &s.frames[i]
		b = append(b, f.prefix...)
		b = g.args(b, f.segs)
		b = append(b, f.suffix...)
	}
	if s.creator.Fn != "" {
		b = append(b, "created by "...)
		b = append(b, s.creator.Fn...)
		if parent > 0 {
			b = append(b, " in goroutine "...)
			b = strconv.AppendInt(b, int64(parent), 10)
		}
		b = append(b, "\n\t"...)
		b = append(b, fileLine(s.creator)...)
		b = append(b, '\n')
	}
	return b
}

// ---- plan: which goroutine gets which stack (shared by both formats) ----

type plan struct {
	stacks  []*stack
	assign  []int32 // stack index per ordinary goroutine
	ids     []int32
	parents []int32
	dumper  *stack
	mainG   *stack
	accept  *stack
	counts  []int
}

func makePlan(seed uint64, n, nstacks int) *plan {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	p := &plan{stacks: buildStacks(r, nstacks)}
	p.dumper = fromComplete(dumper)
	p.mainG = fromComplete(mainG)
	p.mainG.creator = F{}
	p.accept = fromComplete(acceptG)
	p.mainG.maxMin, p.accept.maxMin = 4000, 4000
	acceptID := 40 + r.IntN(30)
	// cumulative weights
	cum := make([]float64, len(p.stacks))
	t := 0.0
	for i, s := range p.stacks {
		t += s.weight
		cum[i] = t
	}
	ord := n - 3 // ordinary goroutines besides dumper, main, accept
	if ord < 0 {
		ord = 0
	}
	p.assign = make([]int32, ord)
	p.ids = make([]int32, ord)
	p.parents = make([]int32, ord)
	p.counts = make([]int, len(p.stacks))
	id := acceptID + 1 + r.IntN(20)
	for i := 0; i < ord; i++ {
		x := r.Float64() * t
		j := sort.SearchFloat64s(cum, x)
		if j >= len(cum) {
			j = len(cum) - 1
		}
		p.assign[i] = int32(j)
		p.counts[j]++
		id += 1 + r.IntN(7)
		p.ids[i] = int32(id)
		switch s := p.stacks[j]; {
		case s.parent == -1:
			p.parents[i] = int32(acceptID)
		case s.parent > 0:
			p.parents[i] = int32(s.parent)
		default:
			p.parents[i] = int32(acceptID + 1 + r.IntN(id-acceptID))
		}
	}
	p.dumper.singleID = id + 1 + r.IntN(50)
	p.mainG.singleID = 1
	p.accept.singleID = acceptID
	return p
}

func writeDebug2(w *bufio.Writer, p *plan, seed uint64, heapBase uint64, labels bool) error {
	g := &gen{r: rand.New(rand.NewPCG(seed^0x5bd1e995, 7)), heapBase: heapBase,
		labels: labels, lr: rand.New(rand.NewPCG(seed^0x1abe15, 11))}
	b := make([]byte, 0, 64<<10)
	// Current goroutine first, then allgs order: 1, the accept loop, the rest.
	b = g.goroutine(b, p.dumper, p.dumper.singleID, p.accept.singleID)
	b = append(b, '\n')
	b = g.goroutine(b, p.mainG, 1, 0)
	b = append(b, '\n')
	b = g.goroutine(b, p.accept, p.accept.singleID, 1)
	for i := range p.assign {
		b = append(b, '\n')
		b = g.goroutine(b, p.stacks[p.assign[i]], int(p.ids[i]), int(p.parents[i]))
		if len(b) > 48<<10 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b) // like runtime.Stack: no blank line after the last one
	return err
}

// ---- debug=1 ----

type record struct {
	count  int
	key    string
	labels string
	s      *stack
}

func atLine(s *stack) string {
	var b strings.Builder
	for i := 0; i < s.hidden; i++ {
		b.WriteString(" 0x" + strconv.FormatUint(textAddr("runtime-hidden/"+s.reason+strconv.Itoa(i))+uint64(0x2e+i*0x31), 16))
	}
	for _, f := range debug1Frames(s) {
		b.WriteString(" 0x" + strconv.FormatUint(frameAddr(f)+1, 16))
	}
	b.WriteString(" 0x" + strconv.FormatUint(textAddr("runtime.goexit")+1, 16))
	return b.String()
}

func frameOff(f F) int {
	if f.Args == "..." || f.Off == 0 {
		return 0x10 + int(fnHash(f.Fn+f.File+strconv.Itoa(f.Line))%0x300)
	}
	return f.Off - 1
}

func frameAddr(f F) uint64 { return textAddr(f.Fn) + uint64(frameOff(f)) }

func debug1Frames(s *stack) []F {
	var fs []F
	for _, f := range s.frames {
		fs = append(fs, f.f)
	}
	if s.name == "pprof-handler" { // debug=1 goes through writeRuntimeProfile
		fs = append([]F{
			std("runtime/pprof.writeRuntimeProfile", "", "runtime/pprof/pprof.go", 851, 0xb1),
			std("runtime/pprof.writeGoroutine", "", "runtime/pprof/pprof.go", 784, 0x45),
		}, fs[2:]...)
	}
	return fs
}

func uuid(r *rand.Rand) string {
	const hx = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hx[r.IntN(16)]
		}
	}
	return string(b)
}

func writeDebug1(w *bufio.Writer, p *plan, seed uint64, n int) error {
	r := rand.New(rand.NewPCG(seed^0x27d4eb2f, 11))
	var recs []record
	addRec := func(s *stack, c int, labels string) {
		k := atLine(s)
		recs = append(recs, record{count: c, key: k + "\n" + labels, labels: labels, s: s})
	}
	addRec(p.dumper, 1, "")
	addRec(p.mainG, 1, "")
	addRec(p.accept, 1, "")
	for i, s := range p.stacks {
		c := p.counts[i]
		if c == 0 {
			continue
		}
		switch s.labels {
		case 0:
			addRec(s, c, "")
		case 1:
			per := make([]int, len(s.labelSet))
			for j := 0; j < c; j++ {
				per[r.IntN(len(per))]++
			}
			for j, pc := range per {
				if pc > 0 {
					addRec(s, pc, s.labelSet[j])
				}
			}
		case 2:
			for j := 0; j < c; j++ {
				addRec(s, 1, fmt.Sprintf("{%q:%q, %q:%q}", "request_id", uuid(r), "route", "/v1/orders/{id}"))
			}
		}
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].count != recs[j].count {
			return recs[i].count > recs[j].count
		}
		return recs[i].key < recs[j].key
	})
	total := 0
	for _, rc := range recs {
		total += rc.count
	}
	fmt.Fprintf(w, "goroutine profile: total %d\n", total)
	tw := tabwriter.NewWriter(w, 1, 8, 1, '\t', 0)
	atCache := map[*stack]string{}
	for _, rc := range recs {
		at, ok := atCache[rc.s]
		if !ok {
			at = atLine(rc.s)
			atCache[rc.s] = at
		}
		fmt.Fprintf(tw, "%d @%s\n", rc.count, at)
		if rc.labels != "" {
			fmt.Fprintf(tw, "# labels: %s\n", rc.labels)
		}
		for _, f := range debug1Frames(rc.s) {
			fmt.Fprintf(tw, "#\t%#x\t%s+%#x\t%s:%d\n", frameAddr(f), f.Fn, frameOff(f), f.File, f.Line)
		}
		fmt.Fprintf(tw, "\n")
	}
	return tw.Flush()
}

func main() {
	n := flag.Int("n", 10000, "number of goroutines")
	format := flag.String("format", "debug2", "debug2 (runtime.Stack / ?debug=2) or debug1 (?debug=1)")
	seed := flag.Uint64("seed", 1, "random seed")
	nstacks := flag.Int("stacks", 300, "number of distinct stacks (besides a few singletons)")
	out := flag.String("o", "", "output file (default stdout)")
	heap := flag.String("heapbase", "0xc000000000", "base of heap pointers in frame arguments")
	labels := flag.Bool("labels", false, "debug2: runtime/pprof labels in every header, Go 1.27 form")
	flag.Parse()
	if *n < 3 {
		fmt.Fprintln(os.Stderr, "gendump: -n must be at least 3")
		os.Exit(2)
	}
	hb, err := strconv.ParseUint(strings.TrimPrefix(*heap, "0x"), 16, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendump: bad -heapbase:", err)
		os.Exit(2)
	}
	f := os.Stdout
	if *out != "" {
		f, err = os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gendump:", err)
			os.Exit(1)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	p := makePlan(*seed, *n, *nstacks)
	switch *format {
	case "debug2":
		err = writeDebug2(w, p, *seed, hb, *labels)
	case "debug1":
		err = writeDebug1(w, p, *seed, *n)
	default:
		fmt.Fprintln(os.Stderr, "gendump: -format must be debug2 or debug1")
		os.Exit(2)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil && *out != "" {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendump:", err)
		os.Exit(1)
	}
}
