package main

// Frame and stack building blocks. Function names, files and line numbers of
// the runtime and standard library are those printed by Go 1.26 on
// linux/amd64 where we observed them (see README.md); the rest are plausible
// values in the same shape. Dependency frames use real module paths under the
// module cache; application frames use the fake module github.com/acme/orders.

const goroot = "/usr/local/go/src/"
const modcache = "/root/go/pkg/mod/"
const appModule = "github.com/acme/orders"
const appRoot = "/src/orders/" // where the app was built (files are absolute)

// F is a frame spec. Args is a small template: comma/brace separated tokens
// where "p" is a heap pointer that varies per goroutine, "p?" the same marked
// possibly-inaccurate, "x"/"x?" a small varying hex value, "a" a text/rodata
// address (interface type word, func value); anything else is literal.
// Args == "..." marks an inlined frame: printed "(...)" with no "+0x" offset.
type F struct {
	Fn   string
	Args string
	File string
	Line int
	Off  int
}

func std(fn, args, file string, line, off int) F { return F{fn, args, goroot + file, line, off} }
func inl(fn, file string, line int) F            { return F{fn, "...", goroot + file, line, 0} }
func dep(fn, args, file string, line, off int) F {
	return F{fn, args, modcache + file, line, off}
}

// Leaf is the innermost (blocking) part of a stack. Reason is the header
// status. Hidden is how many runtime frames the runtime hides in debug=2 but
// whose PCs still appear in the debug=1 "@" list (gopark, chanrecv, ...).
type Leaf struct {
	Name   string
	Reason string
	Hidden int
	Frames []F
	// Minutes: probability that a goroutine of this stack shows ", N minutes".
	Minutes float64
	// Deps: dependency frames that may sit between the leaf and the app code.
	Deps [][]F
}

// Root is the outermost part of a stack: entry frames and the creator.
type Root struct {
	Name    string
	Frames  []F
	Creator F
	// Parent: fixed parent goroutine id if > 0; 0 = varies per goroutine;
	// -1 = the http.Server.Serve goroutine; -2 = the grpc serveStreams parent.
	Parent int
}

var netRead = []F{
	std("internal/poll.runtime_pollWait", "m, 0x72", "runtime/netpoll.go", 351, 0x85),
	std("internal/poll.(*pollDesc).wait", "p?, p?, 0x0", "internal/poll/fd_poll_runtime.go", 84, 0x27),
	inl("internal/poll.(*pollDesc).waitRead", "internal/poll/fd_poll_runtime.go", 89),
	std("internal/poll.(*FD).Read", "p, {p, 0x1000, 0x1000}", "internal/poll/fd_unix.go", 165, 0x2ae),
	std("net.(*netFD).Read", "p, {p?, x?, p?}", "net/fd_posix.go", 68, 0x25),
	std("net.(*conn).Read", "p, {p?, x?, x?}", "net/net.go", 196, 0x45),
}

var httpClientDo = []F{
	std("net/http.send", "p, {a, p}, {p?, x?, 0x0?}", "net/http/client.go", 264, 0x64b),
	std("net/http.(*Client).send", "p, p, {p?, x?, 0x0?}", "net/http/client.go", 185, 0x258),
	std("net/http.(*Client).do", "p, p", "net/http/client.go", 733, 0x9d7),
	inl("net/http.(*Client).Do", "net/http/client.go", 592),
}

func cat(parts ...[]F) []F {
	var out []F
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var leaves = []Leaf{
	{Name: "chanrecv", Reason: "chan receive", Hidden: 3, Minutes: 0.6},
	{Name: "chansend", Reason: "chan send", Hidden: 3, Minutes: 0.7},
	{Name: "select", Reason: "select", Hidden: 2, Minutes: 0.4},
	{Name: "mutex", Reason: "sync.Mutex.Lock", Hidden: 3, Minutes: 0.5, Frames: []F{
		std("internal/sync.runtime_SemacquireMutex", "0x0?, 0x0?, 0x0?", "runtime/sema.go", 95, 0x25),
		std("internal/sync.(*Mutex).lockSlow", "p", "internal/sync/mutex.go", 149, 0x15d),
		inl("internal/sync.(*Mutex).Lock", "internal/sync/mutex.go", 70),
		inl("sync.(*Mutex).Lock", "sync/mutex.go", 46),
	}, Deps: [][]F{
		{dep("github.com/patrickmn/go-cache.(*cache).Set", "p, {p, 0x24}, {a, p}, 0x0", "github.com/patrickmn/go-cache@v2.1.0+incompatible/cache.go", 52, 0x6f)},
		{dep("github.com/prometheus/client_golang/prometheus.(*MetricVec).GetMetricWithLabelValues", "p, {p, 0x3, 0x3}", "github.com/prometheus/client_golang@v1.19.0/prometheus/vec.go", 258, 0x11a),
			dep("github.com/prometheus/client_golang/prometheus.(*CounterVec).GetMetricWithLabelValues", "...", "github.com/prometheus/client_golang@v1.19.0/prometheus/counter.go", 274, 0),
			dep("github.com/prometheus/client_golang/prometheus.(*CounterVec).WithLabelValues", "p?, {p?, 0x3, 0x3}", "github.com/prometheus/client_golang@v1.19.0/prometheus/counter.go", 306, 0x2b)},
	}},
	{Name: "rlock", Reason: "sync.RWMutex.RLock", Hidden: 3, Minutes: 0.5, Frames: []F{
		std("sync.runtime_SemacquireRWMutexR", "0x0?, 0x0?, 0x0?", "runtime/sema.go", 100, 0x25),
		inl("sync.(*RWMutex).RLock", "sync/rwmutex.go", 74),
	}},
	{Name: "wlock", Reason: "sync.RWMutex.Lock", Hidden: 3, Minutes: 0.5, Frames: []F{
		std("sync.runtime_SemacquireRWMutex", "0x0?, 0xe0?, 0x0?", "runtime/sema.go", 105, 0x25),
		std("sync.(*RWMutex).Lock", "p?", "sync/rwmutex.go", 155, 0x6a),
	}},
	{Name: "wg", Reason: "sync.WaitGroup.Wait", Hidden: 3, Minutes: 0.5, Frames: []F{
		std("sync.runtime_SemacquireWaitGroup", "0x0?, 0x0?", "runtime/sema.go", 114, 0x2e),
		std("sync.(*WaitGroup).Wait", "p", "sync/waitgroup.go", 206, 0x85),
	}, Deps: [][]F{
		{dep("golang.org/x/sync/errgroup.(*Group).Wait", "p", "golang.org/x/sync@v0.7.0/errgroup/errgroup.go", 56, 0x25)},
	}},
	{Name: "cond", Reason: "sync.Cond.Wait", Hidden: 1, Minutes: 0.7, Frames: []F{
		std("sync.runtime_notifyListWait", "p, x", "runtime/sema.go", 617, 0x1b3),
		std("sync.(*Cond).Wait", "x?", "sync/cond.go", 71, 0x73),
	}},
	{Name: "sleep", Reason: "sleep", Hidden: 1, Minutes: 0.1, Frames: []F{
		std("time.Sleep", "x", "runtime/time.go", 363, 0x165),
	}, Deps: [][]F{
		{dep("github.com/cenkalti/backoff/v4.RetryNotifyWithTimer", "p, {a, p}, 0x0, {0x0, 0x0}", "github.com/cenkalti/backoff/v4@v4.3.0/retry.go", 80, 0x1b5),
			dep("github.com/cenkalti/backoff/v4.RetryNotify", "...", "github.com/cenkalti/backoff/v4@v4.3.0/retry.go", 56, 0),
			dep("github.com/cenkalti/backoff/v4.Retry", "...", "github.com/cenkalti/backoff/v4@v4.3.0/retry.go", 39, 0)},
	}},
	{Name: "httpclient", Reason: "select", Hidden: 2, Minutes: 0.3, Frames: cat([]F{
		std("net/http.(*persistConn).roundTrip", "p, p", "net/http/transport.go", 2911, 0x83d),
		std("net/http.(*Transport).roundTrip", "p, p", "net/http/transport.go", 704, 0xaba),
		std("net/http.(*Transport).RoundTrip", "x?, a?", "net/http/roundtrip.go", 33, 0x18),
	}, httpClientDo), Deps: [][]F{
		{dep("github.com/hashicorp/go-retryablehttp.(*Client).Do", "p, p", "github.com/hashicorp/go-retryablehttp@v0.7.7/client.go", 657, 0x5a7)},
	}},
	{Name: "getconn", Reason: "select", Hidden: 2, Minutes: 0.3, Frames: cat([]F{
		std("net/http.(*Transport).getConn", "p, p, {{}, 0x0, {p, 0x5}, {p, 0x12}, 0x0}", "net/http/transport.go", 1542, 0x635),
		std("net/http.(*Transport).roundTrip", "p, p", "net/http/transport.go", 651, 0x8e5),
		std("net/http.(*Transport).RoundTrip", "x?, a?", "net/http/roundtrip.go", 33, 0x18),
		dep("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*Transport).RoundTrip", "p, p", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.49.0/transport.go", 140, 0x9d3),
	}, httpClientDo)},
	{Name: "sqlconn", Reason: "select", Hidden: 2, Minutes: 0.4, Frames: []F{
		std("database/sql.(*DB).conn", "p, {a, p}, 0x1", "database/sql/sql.go", 1403, 0x7c5),
		std("database/sql.(*DB).query", "p, {a, p}, {p, 0x5a}, {p, 0x1, 0x1}, x?", "database/sql/sql.go", 1743, 0x57),
		std("database/sql.(*DB).QueryContext.func1", "0x1?", "database/sql/sql.go", 1726, 0x4f),
		std("database/sql.(*DB).retry", "p?, p", "database/sql/sql.go", 1576, 0x42),
		std("database/sql.(*DB).QueryContext", "p?, {a?, p?}, {p?, x?}, {p?, 0x1, 0x1}", "database/sql/sql.go", 1725, 0xc5),
	}},
	{Name: "pgxread", Reason: "IO wait", Hidden: 2, Minutes: 0.2, Frames: cat(netRead, []F{
		dep("github.com/jackc/pgx/v5/pgproto3.(*chunkReader).Next", "p, 0x5", "github.com/jackc/pgx/v5@v5.5.4/pgproto3/chunkreader.go", 81, 0x1ad),
		dep("github.com/jackc/pgx/v5/pgproto3.(*Frontend).Receive", "p", "github.com/jackc/pgx/v5@v5.5.4/pgproto3/frontend.go", 309, 0x4c),
		dep("github.com/jackc/pgx/v5/pgconn.(*PgConn).peekMessage", "p", "github.com/jackc/pgx/v5@v5.5.4/pgconn/pgconn.go", 544, 0x145),
		dep("github.com/jackc/pgx/v5/pgconn.(*PgConn).receiveMessage", "p", "github.com/jackc/pgx/v5@v5.5.4/pgconn/pgconn.go", 564, 0x1d),
		dep("github.com/jackc/pgx/v5/pgconn.(*ResultReader).receiveMessage", "p", "github.com/jackc/pgx/v5@v5.5.4/pgconn/pgconn.go", 1610, 0x5b),
		dep("github.com/jackc/pgx/v5/pgconn.(*ResultReader).NextRow", "p", "github.com/jackc/pgx/v5@v5.5.4/pgconn/pgconn.go", 1513, 0x5d),
		dep("github.com/jackc/pgx/v5.(*baseRows).Next", "p", "github.com/jackc/pgx/v5@v5.5.4/rows.go", 180, 0x89),
		dep("github.com/jackc/pgx/v5.(*connRow).Scan", "p, {p, 0x3, 0x3}", "github.com/jackc/pgx/v5@v5.5.4/rows.go", 367, 0x95),
		dep("github.com/jackc/pgx/v5/pgxpool.(*poolRow).Scan", "{p?, p?}, {p?, 0x3, 0x3}", "github.com/jackc/pgx/v5@v5.5.4/pgxpool/rows.go", 97, 0x6a),
	})},
	{Name: "redisread", Reason: "IO wait", Hidden: 2, Minutes: 0.1, Frames: cat(netRead, []F{
		dep("github.com/redis/go-redis/v9/internal/pool.(*Conn).Read", "p?, {p?, x?, x?}", "github.com/redis/go-redis/v9@v9.5.1/internal/pool/conn.go", 109, 0x28),
		std("bufio.(*Reader).fill", "p", "bufio/bufio.go", 113, 0x103),
		std("bufio.(*Reader).ReadSlice", "p, 0xa", "bufio/bufio.go", 377, 0x29),
		dep("github.com/redis/go-redis/v9/internal/proto.(*Reader).readLine", "p", "github.com/redis/go-redis/v9@v9.5.1/internal/proto/reader.go", 131, 0x25),
		dep("github.com/redis/go-redis/v9/internal/proto.(*Reader).ReadReply", "p", "github.com/redis/go-redis/v9@v9.5.1/internal/proto/reader.go", 146, 0x25),
		dep("github.com/redis/go-redis/v9.(*StringCmd).readReply", "p, p?", "github.com/redis/go-redis/v9@v9.5.1/command.go", 865, 0x25),
		dep("github.com/redis/go-redis/v9.(*baseClient)._process.func2", "p?", "github.com/redis/go-redis/v9@v9.5.1/redis.go", 398, 0x37),
		dep("github.com/redis/go-redis/v9/internal/pool.(*Conn).WithReader", "p, {a, p}, x?, p", "github.com/redis/go-redis/v9@v9.5.1/internal/pool/conn.go", 96, 0x193),
		dep("github.com/redis/go-redis/v9.(*baseClient)._process", "p, {a, p}, {a, p}, x?", "github.com/redis/go-redis/v9@v9.5.1/redis.go", 396, 0x21b),
		dep("github.com/redis/go-redis/v9.(*baseClient).process", "p, {a, p}, {a, p}", "github.com/redis/go-redis/v9@v9.5.1/redis.go", 353, 0x5b),
		dep("github.com/redis/go-redis/v9.(*hooksMixin).processHook", "...", "github.com/redis/go-redis/v9@v9.5.1/redis.go", 172, 0),
		dep("github.com/redis/go-redis/v9.(*Client).Process", "p, {a, p}, {a, p}", "github.com/redis/go-redis/v9@v9.5.1/redis.go", 693, 0x69),
		dep("github.com/redis/go-redis/v9.cmdable.Get", "p, {a, p}, {p, 0x1c}", "github.com/redis/go-redis/v9@v9.5.1/string_commands.go", 72, 0x16f),
	})},
	{Name: "fdwrite", Reason: "semacquire", Hidden: 3, Minutes: 0.3, Frames: []F{
		std("internal/poll.runtime_Semacquire", "p?", "runtime/sema.go", 76, 0x25),
		std("internal/poll.(*fdMutex).rwlock", "p, 0x0?", "internal/poll/fd_mutex.go", 154, 0xb3),
		inl("internal/poll.(*FD).writeLock", "internal/poll/fd_mutex.go", 239),
		std("internal/poll.(*FD).Write", "p, {p, 0x1b9, 0x200}", "internal/poll/fd_unix.go", 369, 0x72),
		inl("os.(*File).write", "os/file_posix.go", 46),
		std("os.(*File).Write", "p, {p?, 0x1b9, 0x200}", "os/file.go", 196, 0x51),
		dep("go.uber.org/zap/zapcore.(*ioCore).Write", "p, {0x0, {x, x, x}, {0x0, 0x0}, {p, 0x19}, {0x1, {x, {p, 0x3b}, 0x1b2, 0x1}, {0x0, 0x0}}, {0x0, 0x0}}, {p, 0x3, 0x3}", "go.uber.org/zap@v1.27.0/zapcore/core.go", 99, 0xb5),
		dep("go.uber.org/zap/zapcore.(*CheckedEntry).Write", "p, {p, 0x3, 0x3}", "go.uber.org/zap@v1.27.0/zapcore/entry.go", 253, 0x1dc),
		dep("go.uber.org/zap.(*Logger).Info", "p?, {p?, 0x19?}, {p?, 0x3, 0x3}", "go.uber.org/zap@v1.27.0/logger.go", 247, 0x59),
	}},
	{Name: "syscall", Reason: "syscall", Hidden: 1, Minutes: 0.3, Frames: []F{
		std("syscall.Syscall", "0x0, 0x9, p, 0x8000", "syscall/syscall_linux.go", 73, 0x25),
		std("syscall.read", "p?, {p, 0x8000, 0x8000}", "syscall/zsyscall_linux_amd64.go", 736, 0x38),
		inl("syscall.Read", "syscall/syscall_unix.go", 183),
		inl("internal/poll.ignoringEINTRIO", "internal/poll/fd_unix.go", 745),
		std("internal/poll.(*FD).Read", "p, {p, 0x8000, 0x8000}", "internal/poll/fd_unix.go", 161, 0x294),
		inl("os.(*File).read", "os/file_posix.go", 29),
		std("os.(*File).Read", "p, {p?, x?, x?}", "os/file.go", 144, 0x4f),
		std("io.ReadAtLeast", "{a, p}, {p, 0x8000, 0x8000}, 0x8000", "io/io.go", 335, 0x90),
		inl("io.ReadFull", "io/io.go", 354),
	}},
	{Name: "runnable", Reason: "runnable", Hidden: 0, Frames: []F{
		std("encoding/json.appendString[...]", "{p, 0x1f6, 0x200}, {p, 0x1a}, 0x1", "encoding/json/encode.go", 1005, 0x4e5),
		std("encoding/json.stringEncoder", "p, {a?, p?, x?}, {0x0?, 0x0?}", "encoding/json/encode.go", 620, 0x15b),
		std("encoding/json.structEncoder.encode", "{{{p, 0x6, 0x8}, p}}, p, {a?, p?, 0x99?}, {0x0, 0x1}", "encoding/json/encode.go", 712, 0x21e),
		std("encoding/json.arrayEncoder.encode", "{p?}, p, {a?, p?, x?}, {0x0?, 0x0?}", "encoding/json/encode.go", 836, 0x124),
		std("encoding/json.sliceEncoder.encode", "{p?}, p, {a?, p?, x?}, {0x0?, 0x1?}", "encoding/json/encode.go", 809, 0xdb),
		std("encoding/json.(*encodeState).reflectValue", "p?, {a?, p?, x?}, {0x0?, 0x1?}", "encoding/json/encode.go", 322, 0x73),
		std("encoding/json.(*encodeState).marshal", "p, {a?, p?}, {0x0?, 0x1?}", "encoding/json/encode.go", 294, 0xb9),
		std("encoding/json.Marshal", "{a, p}", "encoding/json/encode.go", 161, 0x52),
	}},
}

// Roots: outermost frames below the application chain.
var roots = []Root{
	{Name: "http", Frames: []F{
		std("net/http.HandlerFunc.ServeHTTP", "x?, {a?, p?}, p?", "net/http/server.go", 2286, 0x29),
		dep("github.com/go-chi/chi/v5.(*Mux).routeHTTP", "p, {a, p}, p", "github.com/go-chi/chi/v5@v5.0.12/mux.go", 459, 0x2c2),
		std("net/http.HandlerFunc.ServeHTTP", "x?, {a?, p?}, p?", "net/http/server.go", 2286, 0x29),
		dep("github.com/go-chi/chi/v5/middleware.Recoverer.func1", "{a, p}, p", "github.com/go-chi/chi/v5@v5.0.12/middleware/recoverer.go", 45, 0x82),
		std("net/http.HandlerFunc.ServeHTTP", "x?, {a?, p?}, p?", "net/http/server.go", 2286, 0x29),
		dep("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.(*middleware).serveHTTP", "p, {a, p}, p, {a, p}", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.49.0/handler.go", 225, 0x1074),
		dep("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.NewMiddleware.func1.1", "{a?, p?}, p?", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.49.0/handler.go", 83, 0x39),
		std("net/http.HandlerFunc.ServeHTTP", "x?, {a?, p?}, p?", "net/http/server.go", 2286, 0x29),
		dep("github.com/go-chi/chi/v5.(*Mux).ServeHTTP", "p, {a, p}, p", "github.com/go-chi/chi/v5@v5.0.12/mux.go", 90, 0x300),
		std("net/http.serverHandler.ServeHTTP", "{p?}, {a?, p?}, 0x1?", "net/http/server.go", 3311, 0x8e),
		std("net/http.(*conn).serve", "p, {a, p}", "net/http/server.go", 2067, 0x690),
	}, Creator: std("net/http.(*Server).Serve", "", "net/http/server.go", 3464, 0x485), Parent: -1},
	{Name: "grpc", Frames: []F{
		std("google.golang.org/grpc.(*Server).processUnaryRPC", "p, {a, p}, {a, p}, p, p, p, 0x0", "", 0, 0),
		std("google.golang.org/grpc.(*Server).handleStream", "p, {a, p}, p", "", 0, 0),
		std("google.golang.org/grpc.(*Server).serveStreams.func2.1", "", "", 0, 0),
	}, Creator: std("google.golang.org/grpc.(*Server).serveStreams.func2", "", "", 0, 0), Parent: -2},
	{Name: "worker", Frames: []F{
		F{appModule + "/internal/worker.(*Pool).worker", "p, {a, p}, x", appRoot + "internal/worker/pool.go", 88, 0x1c5},
	}, Creator: F{appModule + "/internal/worker.(*Pool).Start", "", appRoot + "internal/worker/pool.go", 51, 0x7a}, Parent: 1},
	{Name: "errgroup", Frames: []F{
		dep("golang.org/x/sync/errgroup.(*Group).Go.func1", "", "golang.org/x/sync@v0.7.0/errgroup/errgroup.go", 78, 0x50),
	}, Creator: dep("golang.org/x/sync/errgroup.(*Group).Go", "", "golang.org/x/sync@v0.7.0/errgroup/errgroup.go", 75, 0x96), Parent: 0},
	{Name: "consumer", Frames: []F{
		F{appModule + "/internal/events.(*Consumer).Run", "p, {a, p}", appRoot + "internal/events/consumer.go", 112, 0x2d4},
		F{appModule + "/internal/app.(*App).Start.func3", "", appRoot + "internal/app/app.go", 141, 0x3b},
	}, Creator: F{appModule + "/internal/app.(*App).Start", "", appRoot + "internal/app/app.go", 139, 0x52c}, Parent: 1},
}

// grpc frames are filled in init (shared path/version).
func init() {
	g := func(i int, file string, line, off int) {
		roots[1].Frames[i].File = modcache + "google.golang.org/grpc@v1.62.1/" + file
		roots[1].Frames[i].Line, roots[1].Frames[i].Off = line, off
	}
	g(0, "server.go", 1386, 0xe1c)
	g(1, "server.go", 1797, 0x100c)
	g(2, "server.go", 1027, 0x59)
	roots[1].Creator.File = modcache + "google.golang.org/grpc@v1.62.1/server.go"
	roots[1].Creator.Line, roots[1].Creator.Off = 1038, 0x135
}

// Complete is a self-contained goroutine kind from the standard library or a
// dependency (no application frames), with its creator.
type Complete struct {
	Name    string
	Reason  string
	Hidden  int
	Minutes float64
	Frames  []F
	Creator F
	Parent  int // as Root.Parent
}

var completes = []Complete{
	{Name: "httpserver-idle", Reason: "IO wait", Hidden: 2, Minutes: 0.6, Frames: cat(netRead, []F{
		std("net/http.(*connReader).Read", "p, {p, 0x1000, 0x1000}", "net/http/server.go", 812, 0x154),
		std("bufio.(*Reader).fill", "p", "bufio/bufio.go", 113, 0x103),
		std("bufio.(*Reader).ReadSlice", "p, 0xa", "bufio/bufio.go", 377, 0x29),
		std("bufio.(*Reader).ReadLine", "p", "bufio/bufio.go", 406, 0x25),
		std("net/textproto.(*Reader).readLineSlice", "p, 0xffffffffffffffff", "net/textproto/reader.go", 64, 0xad),
		inl("net/textproto.(*Reader).ReadLine", "net/textproto/reader.go", 44),
		std("net/http.readRequest", "p", "net/http/request.go", 1087, 0xa5),
		std("net/http.(*conn).readRequest", "p, {a, p}", "net/http/server.go", 998, 0x179),
		std("net/http.(*conn).serve", "p, {a, p}", "net/http/server.go", 1989, 0x414),
	}), Creator: std("net/http.(*Server).Serve", "", "net/http/server.go", 3464, 0x485), Parent: -1},
	{Name: "backgroundread", Reason: "IO wait", Hidden: 2, Minutes: 0.2, Frames: cat(netRead, []F{
		std("net/http.(*connReader).backgroundRead", "p", "net/http/server.go", 702, 0x33),
	}), Creator: std("net/http.(*connReader).startBackgroundRead", "", "net/http/server.go", 698, 0xb6), Parent: 0},
	{Name: "readloop", Reason: "IO wait", Hidden: 2, Minutes: 0.5, Frames: cat(netRead, []F{
		std("net/http.(*persistConn).Read", "p, {p?, x?, 0x0?}", "net/http/transport.go", 2174, 0x47),
		std("bufio.(*Reader).fill", "p", "bufio/bufio.go", 113, 0x103),
		std("bufio.(*Reader).Peek", "p, 0x1", "bufio/bufio.go", 152, 0x53),
		std("net/http.(*persistConn).readLoop", "p", "net/http/transport.go", 2330, 0x172),
	}), Creator: std("net/http.(*Transport).dialConn", "", "net/http/transport.go", 1994, 0x16ac), Parent: 0},
	{Name: "grpc-client-reader", Reason: "IO wait", Hidden: 2, Minutes: 0.5, Frames: cat(netRead, []F{
		std("bufio.(*Reader).Read", "p, {p, 0x9, 0x9}", "bufio/bufio.go", 245, 0x197),
		std("io.ReadAtLeast", "{a, p}, {p, 0x9, 0x9}, 0x9", "io/io.go", 335, 0x90),
		inl("io.ReadFull", "io/io.go", 354),
		dep("golang.org/x/net/http2.readFrameHeader", "{p, 0x9, p?}, {a?, p?}", "golang.org/x/net@v0.24.0/http2/frame.go", 237, 0x65),
		dep("golang.org/x/net/http2.(*Framer).ReadFrame", "p", "golang.org/x/net@v0.24.0/http2/frame.go", 498, 0x85),
		dep("google.golang.org/grpc/internal/transport.(*http2Client).reader", "p, {a, p}", "google.golang.org/grpc@v1.62.1/internal/transport/http2_client.go", 1624, 0x208),
	}), Creator: dep("google.golang.org/grpc/internal/transport.newHTTP2Client", "", "google.golang.org/grpc@v1.62.1/internal/transport/http2_client.go", 409, 0x1e99), Parent: 0},
	{Name: "grpc-server-streams", Reason: "IO wait", Hidden: 2, Minutes: 0.5, Frames: cat(netRead, []F{
		std("bufio.(*Reader).Read", "p, {p, 0x9, 0x9}", "bufio/bufio.go", 245, 0x197),
		std("io.ReadAtLeast", "{a, p}, {p, 0x9, 0x9}, 0x9", "io/io.go", 335, 0x90),
		inl("io.ReadFull", "io/io.go", 354),
		dep("golang.org/x/net/http2.readFrameHeader", "{p, 0x9, p?}, {a?, p?}", "golang.org/x/net@v0.24.0/http2/frame.go", 237, 0x65),
		dep("golang.org/x/net/http2.(*Framer).ReadFrame", "p", "golang.org/x/net@v0.24.0/http2/frame.go", 498, 0x85),
		dep("google.golang.org/grpc/internal/transport.(*http2Server).HandleStreams", "p, {a, p}, p", "google.golang.org/grpc@v1.62.1/internal/transport/http2_server.go", 636, 0x145),
		dep("google.golang.org/grpc.(*Server).serveStreams", "p, {a, p}, {a?, p}", "google.golang.org/grpc@v1.62.1/server.go", 1023, 0x3b5),
		dep("google.golang.org/grpc.(*Server).handleRawConn.func1", "", "google.golang.org/grpc@v1.62.1/server.go", 958, 0x56),
	}), Creator: dep("google.golang.org/grpc.(*Server).handleRawConn", "", "google.golang.org/grpc@v1.62.1/server.go", 957, 0x1d6), Parent: 0},
}

// The goroutine that wrote the dump (served /debug/pprof/goroutine?debug=2).
var dumper = Complete{Name: "pprof-handler", Reason: "running", Frames: []F{
	std("runtime/pprof.writeGoroutineStacks", "{a, p}", "runtime/pprof/pprof.go", 819, 0x6b),
	std("runtime/pprof.writeGoroutine", "{a?, p?}, p?", "runtime/pprof/pprof.go", 782, 0x25),
	std("runtime/pprof.(*Profile).WriteTo", "x?, {a?, p?}, x?", "runtime/pprof/pprof.go", 408, 0x149),
	std("net/http/pprof.handler.ServeHTTP", "{p, 0x9}, {a, p}, p", "net/http/pprof/pprof.go", 272, 0x4a5),
	std("net/http/pprof.Index", "{a?, p?}, p", "net/http/pprof/pprof.go", 389, 0xe9),
	std("net/http.HandlerFunc.ServeHTTP", "x?, {a?, p?}, p?", "net/http/server.go", 2286, 0x29),
	std("net/http.(*ServeMux).ServeHTTP", "p?, {a, p}, p", "net/http/server.go", 2828, 0x1c4),
	std("net/http.serverHandler.ServeHTTP", "{p?}, {a?, p?}, 0x1?", "net/http/server.go", 3311, 0x8e),
	std("net/http.(*conn).serve", "p, {a, p}", "net/http/server.go", 2067, 0x690),
}, Creator: std("net/http.(*Server).Serve", "", "net/http/server.go", 3464, 0x485), Parent: 0}

// goroutine 1: main blocked in errgroup.Wait after starting everything.
var mainG = Complete{Name: "main", Reason: "sync.WaitGroup.Wait", Hidden: 3, Minutes: 1, Frames: []F{
	std("sync.runtime_SemacquireWaitGroup", "0x0?, 0x0?", "runtime/sema.go", 114, 0x2e),
	std("sync.(*WaitGroup).Wait", "p", "sync/waitgroup.go", 206, 0x85),
	dep("golang.org/x/sync/errgroup.(*Group).Wait", "p", "golang.org/x/sync@v0.7.0/errgroup/errgroup.go", 56, 0x25),
	F{appModule + "/internal/app.(*App).Run", "p, {a, p}", appRoot + "internal/app/app.go", 97, 0x1e5},
	F{"main.run", "{a, p}", appRoot + "cmd/orders/main.go", 74, 0x4a5},
	F{"main.main", "", appRoot + "cmd/orders/main.go", 41, 0x1d},
}}

// The http.Server accept loop; its id is the parent of every conn.serve.
var acceptG = Complete{Name: "http-accept", Reason: "IO wait", Hidden: 2, Minutes: 1, Frames: []F{
	std("internal/poll.runtime_pollWait", "m, 0x72", "runtime/netpoll.go", 351, 0x85),
	std("internal/poll.(*pollDesc).wait", "p?, x?, 0x0", "internal/poll/fd_poll_runtime.go", 84, 0x27),
	inl("internal/poll.(*pollDesc).waitRead", "internal/poll/fd_poll_runtime.go", 89),
	std("internal/poll.(*FD).Accept", "p", "internal/poll/fd_unix.go", 613, 0x28c),
	std("net.(*netFD).accept", "p", "net/fd_unix.go", 150, 0x29),
	std("net.(*TCPListener).accept", "p", "net/tcpsock_posix.go", 159, 0x1b),
	std("net.(*TCPListener).Accept", "p", "net/tcpsock.go", 387, 0x30),
	std("net/http.(*Server).Serve", "p, {a, p}", "net/http/server.go", 3434, 0x30c),
	std("net/http.(*Server).ListenAndServe", "p", "net/http/server.go", 3363, 0x71),
	F{appModule + "/internal/app.(*App).Start.func1", "", appRoot + "internal/app/app.go", 127, 0x1f},
}, Creator: F{appModule + "/internal/app.(*App).Start", "", appRoot + "internal/app/app.go", 125, 0x3d1}, Parent: 1}
