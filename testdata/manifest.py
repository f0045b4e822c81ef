#!/usr/bin/env python3
"""Writes testdata/manifest.json: one object per fixture file (captures and
envelope variants) with the expected diagnosis. The expectations are kept in
the META table below; goroutine counts are computed from the files (after
undoing the envelope for variants), never typed by hand.

Run after testdata/regen and testdata/variants (regen runs all three).
"""
import gzip
import json
import os
import re
import sys

TD = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(TD, "fixtures")

# category -> rule ID, from the one list of rules (rules/rules.def).
def _rules():
    out = {}
    with open(os.path.join(TD, "..", "rules", "rules.def")) as f:
        for line in f:
            m = re.match(r"GOTRIAGE_RULE\((GT\d+), (\w+)\)", line)
            if m:
                out[m.group(2)] = m.group(1)
    if not out:
        raise SystemExit("manifest.py: no GOTRIAGE_RULE line in rules/rules.def")
    return out


RULES = _rules()

# fixture name (file name without .goNNN.txt) ->
#   (scenario, category, also_acceptable, culprit_function, app_frame or None (= culprit), notes)
RQ_NOTE = ("Report queue wedged: one producer blocks in (*ReportQueue).Add on an unbuffered channel send "
           "while holding q.mu; the flusher (flushLoop -> Drain) and every later producer wait on "
           "sync.Mutex.Lock. The flusher re-arms its timer with Reset without Stop+drain "
           "(GODEBUG=asynctimerchan=1), which makes it take the timer branch while the send is pending.")
GENERIC_NOTE = ("A generic helper, ParallelMap[T, R], starts a goroutine per item that sends its result on an "
                "unbuffered channel, and returns at the first error: the senders not yet received leak in "
                "chan send inside ParallelMap[...].func1, which the runtime prints with [...] (Go 1.18 on).")
LEAK_NOTE = ("fetchPrice's goroutine sends on an unbuffered channel nobody receives after the caller "
             "returned early (ctx timeout or validation error); leaked goroutines accumulate in chan send.")
META = {
    "type-assertion": ("type-assertion", "type_assertion", [], "main.(*Settings).listenPort", None,
        "Settings decoded from JSON into map[string]any hold numbers as float64; listenPort "
        "asserts int without the comma-ok form (inlined into main)."),
    "seed-shared-client": ("seed-shared-client", "concurrent_map_access", ["data_race"],
                           "example.com/apiclient.(*Params).DeepCopy", "main.(*Handler).lookupStock",
                           "GOTRACEBACK=all. Crash site is in the apiclient dependency; the bug is the one "
                           "apiclient.Client shared by all handler goroutines (SetParam writes its map)."),
    "seed-shared-client-trimpath": ("seed-shared-client", "concurrent_map_access", ["data_race"],
                                    "example.com/apiclient.(*Params).DeepCopy", "main.(*Handler).lookupStock",
                                    "Built with -trimpath: file paths are module-relative."),
    "concurrent-map-writes": ("concurrent-map-writes", "concurrent_map_access", ["data_race"],
                              "main.(*hitCounter).record", None, "Unsynchronised map increment from 4 goroutines."),
    "concurrent-map-read-write": ("concurrent-map-read-write", "concurrent_map_access", ["data_race"],
                                  "main.(*configCache).lookup", None,
                                  "Reader throws; the writer is main.(*configCache).refresh."),
    "seed-report-queue-debug2": ("seed-report-queue", "lock_held_across_channel_op",
                                 ["deadlock", "timer_misuse", "goroutine_leak"], "main.(*ReportQueue).Add", None,
                                 RQ_NOTE + " pprof goroutine debug=2 fetched over loopback HTTP."),
    "seed-report-queue-debug1": ("seed-report-queue", "lock_held_across_channel_op",
                                 ["deadlock", "timer_misuse", "goroutine_leak"], "main.(*ReportQueue).Add", None,
                                 RQ_NOTE + " pprof goroutine debug=1 fetched over loopback HTTP."),
    "seed-report-queue-sigquit": ("seed-report-queue", "lock_held_across_channel_op",
                                  ["deadlock", "timer_misuse", "goroutine_leak"], "main.(*ReportQueue).Add", None,
                                  RQ_NOTE + " SIGQUIT dump (kill -QUIT), exit status 2."),
    "generic-leak-debug1": ("generic-leak", "goroutine_leak", [], "main.ParallelMap[...].func1", None,
                            GENERIC_NOTE + " pprof goroutine debug=1 after ~200 leaks."),
    "generic-leak-debug2": ("generic-leak", "goroutine_leak", [], "main.ParallelMap[...].func1", None,
                            GENERIC_NOTE + " pprof goroutine debug=2 after ~200 leaks."),
    "goroutine-leak-debug1-t1": ("goroutine-leak", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                 LEAK_NOTE + " debug=1 after ~200 leaks."),
    "goroutine-leak-debug2-t1": ("goroutine-leak", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                 LEAK_NOTE + " debug=2 after ~200 leaks."),
    "goroutine-leak-debug1-t2": ("goroutine-leak", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                 LEAK_NOTE + " debug=1 after ~2000 leaks."),
    "goroutine-leak-debug2-t2": ("goroutine-leak", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                 LEAK_NOTE + " debug=2 after ~2000 leaks."),
    "goroutine-leak-profile-debug1": ("goroutine-leak-profile", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                      LEAK_NOTE + " Go 1.26 goroutineleak profile (GOEXPERIMENT), debug=1; "
                                      "total counts leaked goroutines only."),
    "goroutine-leak-profile-debug2": ("goroutine-leak-profile", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                      LEAK_NOTE + " Go 1.26 goroutineleak profile (GOEXPERIMENT), debug=2: all "
                                      "goroutines, leaked ones marked '(leaked)'."),
    "http-no-timeout-pool-debug2": ("http-no-timeout-pool", "missing_http_timeout", ["worker_pool_exhaustion"],
                                    "main.(*Poller).fetch", None,
                                    "8 workers stuck in net/http on a loopback server that never answers; "
                                    "http.Client{} has no Timeout; producer blocked on the full job channel."),
    "http-no-timeout-pool-sigquit": ("http-no-timeout-pool", "missing_http_timeout", ["worker_pool_exhaustion"],
                                     "main.(*Poller).fetch", None, "Same as -debug2, dumped by SIGQUIT."),
    "nil-deref": ("nil-deref", "nil_dereference", [], "main.notificationAddress", None,
                  "Unrecovered nil pointer dereference (inlined frame)."),
    "nil-deref-trimpath": ("nil-deref", "nil_dereference", [], "main.notificationAddress", None,
                           "Built with -trimpath."),
    "nil-deref-recovered": ("nil-deref-recovered", "nil_dereference", [], "main.isAdmin", None,
                            "Recovered and logged with log.Printf(\"panic: %v\\n%s\", r, debug.Stack()); "
                            "program continues and exits 0."),
    "index-out-of-range": ("index-out-of-range", "index_out_of_range", [], "main.parseRow", None, ""),
    "slice-bounds": ("slice-bounds", "index_out_of_range", [], "main.page", None, ""),
    "nil-map-write": ("nil-map-write", "nil_map_write", [], "main.(*Registry).Register", None, ""),
    "send-on-closed-channel": ("send-on-closed-channel", "closed_channel", [], "main.publish", None,
                               "Consumer closed the channel; producer still sending."),
    "close-of-closed-channel": ("close-of-closed-channel", "closed_channel", [], "main.(*Server).Shutdown", None,
                                "Two shutdown paths close the same channel."),
    "negative-waitgroup": ("negative-waitgroup", "waitgroup_misuse", [], "main.processBatch.func1", None,
                           "Add(1) per batch, Done per item."),
    "unlock-of-unlocked-mutex": ("unlock-of-unlocked-mutex", "mutex_misuse", [], "main.(*Account).Withdraw", None,
                                 "Explicit Unlock plus deferred Unlock on the error path."),
    "stack-overflow": ("stack-overflow", "stack_overflow", [], "main.renderNode", None,
                       "Mutual recursion renderNode <-> renderChildren on a cyclic tree; "
                       "debug.SetMaxStack(64 MiB)."),
    "out-of-memory": ("out-of-memory", "out_of_memory", ["oom_killed"], "main.(*responseCache).store", None,
                      "Run under ulimit -v 1000000; both Go 1.26 and go1.19 print 'runtime: out of memory: "
                      "cannot allocate ...' then 'fatal error: out of memory'."),
    "repanic": ("repanic", "custom_panic", [], "main.replayDifferent.func1", None,
                "panic: A [recovered] / \\tpanic: B; the original panic came from main.readLedger."),
    "repanic-same": ("repanic", "custom_panic", [], "main.replaySame.func1", None,
                     "Same value re-panicked: Go 1.25+ prints '[recovered, repanicked]'; go1.19 prints "
                     "'[recovered]' plus a second '\\tpanic:' line. Original panic from main.readLedger."),
    "custom-panic": ("custom-panic", "custom_panic", [], "main.validate", None,
                     "panic(fmt.Errorf(...)) in a worker goroutine."),
    "deadlock-all-asleep": ("deadlock-all-asleep", "deadlock", ["waitgroup_misuse"], "main.fetch", None,
                            "Senders block on an unbuffered channel read only after wg.Wait; main in "
                            "WaitGroup.Wait."),
    "goexit-deadlock": ("goexit-deadlock", "deadlock", [], None, None,
                        "main called runtime.Goexit (from main.finish); the runtime prints no goroutines."),
    "test-timeout": ("test-timeout", "test_timeout_hang", ["deadlock", "lock_held_across_channel_op"],
                     "example.com/fixtures/test-timeout.(*Store).Reserve", None,
                     "go test -timeout 3s; Reserve waits on a channel while holding the store mutex."),
    "race-map": ("race-map", "data_race", ["concurrent_map_access"], "example.com/fixtures/race-map.(*Memo).Get",
                 None, "go test -race; unsynchronised map read/write."),
    "race-field": ("race-field", "data_race", [], "example.com/fixtures/race-field.(*Server).Handle", None,
                   "go test -race; unsynchronised int field increment."),
    "gotraceback-system": ("gotraceback-system", "nil_map_write", [], "main.(*metrics).inc", None,
                           "GOTRACEBACK=system: fp/sp/pc on frames, gp=/m= on headers, runtime goroutines shown."),
    "sigquit-busy": ("sigquit-busy", "other", [], "main.hashLoop", None,
                     "SIGQUIT of a CPU-busy program; no bug, only a dump (exit status 2)."),
    "sigquit-busy-crash": ("sigquit-busy", "other", [], "main.hashLoop", None,
                           "GOTRACEBACK=crash: register dumps and all goroutine stacks; ends in SIGABRT."),
    "tracebackancestors": ("tracebackancestors", "index_out_of_range", [], "main.pickReplica", None,
                           "GODEBUG=tracebackancestors=5: '[originating from goroutine N]:' blocks."),
    "deep-recursion-elided": ("deep-recursion-elided", "custom_panic", [], "main.walk", None,
                              "Panic 200 frames deep: Go 1.21+ prints 50 inner frames, '...N frames elided...', 50 "
                              "outer frames; go1.19 prints the innermost 100 frames and silently stops "
                              "(no marker line, no main.main)."),
    "healthy-idle-server-debug2": ("healthy-idle-server", None, [], None, None,
                                   "Healthy: idle HTTP server + 16 idle workers; debug=2 over loopback HTTP."),
    "healthy-idle-server-debug1": ("healthy-idle-server", None, [], None, None,
                                   "Healthy: idle HTTP server + 16 idle workers; debug=1 over loopback HTTP."),
    "healthy-tickers": ("healthy-tickers", None, [], None, None,
                        "Healthy: tickers and ctx-driven select loops; debug=2."),
    "goroutine-leak-profile-debug2-1": ("goroutine-leak-profile", "goroutine_leak", [], "main.fetchPrice.func1", None,
                                        LEAK_NOTE + " goroutineleak profile written twice into one file, debug=2 "
                                        "then debug=1, as a user pastes two curls one after the other."),
}

# --- sparse evidence, pools of any size, framework-recovered panics
#     (issue 15 item 5, issue 16 item 2) ---
# Kept as one block so that merging with other branches' META additions is a
# matter of keeping both blocks.
POOL_NOTE = ("Healthy: %s idle workers ranging over one job channel, all started once by main.main; "
             "pprof debug=%s. A pool waiting for work is not a leak at any size.")
RESP_BODY_NOTE = ("golang/go#16953 rebuilt: a client reads only the status code and never closes resp.Body; "
                  "each of 300 requests leaves a connection whose readLoop waits for the body to be read or "
                  "closed (and its writeLoop). Loopback httptest server (its conn.serve goroutines are in the "
                  "same process).")
HELD_NOTE = ("Issue 16 item 4: 40 workers share one http.Client{} without Timeout against a loopback "
             "server that never answers, held 2m10s after a GC. Each request's persistConn readLoop and "
             "writeLoop wait with it: in flight, not leaked (no GT2003).")
READER_NOTE = ("certmagic-s3#9 / minio-go GetObject rebuilt: opening an object starts a goroutine serving "
               "reads until Close, which the caller never calls; ~500 readers parked in select.")
HANDLECRASH_NOTE = ("Controller sync under defer utilruntime.HandleCrash() dereferences a nil *Spec; the "
                    "stack is printed by the framework's handler (logPanic/HandleCrash above panic()), the "
                    "culprit is the first frame below panic().")
META.update({
    "healthy-worker-pool-256-debug1": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (256, 1)),
    "healthy-worker-pool-256-debug2": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (256, 2)),
    "healthy-worker-pool-1000-debug1": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (1000, 1)),
    "healthy-worker-pool-1000-debug2": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (1000, 2)),
    "healthy-worker-pool-10000-debug1": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (10000, 1)),
    "healthy-worker-pool-10000-debug2": ("healthy-worker-pool", None, [], None, None, POOL_NOTE % (10000, 2)),
    "persistconn-leak-debug1": ("persistconn-leak", "goroutine_leak", [], "net/http.(*persistConn).readLoop", None,
                                RESP_BODY_NOTE + " debug=1: counts only."),
    "persistconn-leak-debug2": ("persistconn-leak", "goroutine_leak", [], "net/http.(*persistConn).readLoop", None,
                                RESP_BODY_NOTE + " debug=2."),
    "reader-leak-debug1": ("reader-leak", "goroutine_leak", [], "main.GetObject.func1", None,
                           READER_NOTE + " debug=1: counts only, creator known from the closure name."),
    "reader-leak-debug2": ("reader-leak", "goroutine_leak", [], "main.GetObject.func1", None, READER_NOTE + " debug=2."),
    "http-no-timeout-pool-debug1": ("http-no-timeout-pool", "missing_http_timeout", ["worker_pool_exhaustion"],
                                    "main.(*Poller).fetch", None,
                                    "Same as -debug2, as a debug=1 profile: no wait minutes, judged from the "
                                    "roundTrip stacks."),
    "http-no-timeout-pool-40-held-debug2": ("http-no-timeout-pool", "missing_http_timeout",
                                            ["worker_pool_exhaustion"], "main.(*Poller).fetch", None,
                                            HELD_NOTE + " debug=2: every wait reads 2 minutes."),
    "http-no-timeout-pool-40-held-debug1": ("http-no-timeout-pool", "missing_http_timeout",
                                            ["worker_pool_exhaustion"], "main.(*Poller).fetch", None,
                                            HELD_NOTE + " debug=1: no wait minutes."),
    "http-no-timeout-pool-40-held-sigquit": ("http-no-timeout-pool", "missing_http_timeout",
                                             ["worker_pool_exhaustion"], "main.(*Poller).fetch", None,
                                             HELD_NOTE + " SIGQUIT dump."),
    "waitgroup-never-done-debug2": ("waitgroup-never-done", "deadlock", ["waitgroup_misuse"], "main.(*Auditor).Run",
                                    None, "An audit's worker returns early on a skipped item without wg.Done (Done "
                                    "at its end, not deferred); main waits in WaitGroup.Wait while an HTTP "
                                    "server keeps the process alive, so the runtime reports no deadlock. Held "
                                    "2m10s after a GC: the wait reads 2 minutes. debug=2, with the listener's "
                                    "accept loop (IO wait) and the profile writer (running)."),
    "k8s-handlecrash-klog-text": ("k8s-handlecrash", "nil_dereference", [], "main.(*Controller).desiredReplicas",
                                  None, HANDLECRASH_NOTE + " apimachinery v0.26.15 / klog v2.80.1: "
                                  "'Observed a panic: ...' then the stack; ReallyCrash=false, exits 0."),
    "k8s-handlecrash-really-crash": ("k8s-handlecrash", "nil_dereference", [], "main.(*Controller).desiredReplicas",
                                     None, HANDLECRASH_NOTE + " v0.26.15 with ReallyCrash=true (the default): the "
                                     "logged stack, then HandleCrash re-panics and the runtime's trace starts "
                                     "with HandleCrash above panic()."),
})
# goleak (go.uber.org/goleak v1.3.0) report inside `go test -v` output (issue 15 item 3).
META["goleak-test"] = ("goleak-test", "goroutine_leak", [], "example.com/goleaktest.fetchFirst.func1", None,
                       "TestFetchFirst returns after the first of several senders; the others block in "
                       "chan send and goleak.VerifyNone lists them as unexpected goroutines.")
# --- end of the sparse-evidence block ---

# --- issue 16 (branch trust): reproducers of the "trust in every detail" items ---
META.update({
    "nil-receiver-dep": ("nil-receiver-dep", "nil_dereference", [],
                         "github.com/davecgh/go-spew/spew.(*dumpState).indent", "main.(*Reporter).Describe",
                         "Go 1.26 only. The app calls (*spew.ConfigState).Sdump on a struct field nobody "
                         "set: the receiver is printed as 0x0 and the SIGSEGV is inside the dependency "
                         "(module cache, go-spew v1.1.1); the fix is in the app frame that passed it."),
    "recovered-panic-storm": ("recovered-panic-storm", "nil_dereference", [], "main.quota", None,
                              "Go 1.26 only. The same nil dereference recovered and logged with "
                              "debug.Stack() for 200 requests; exits 0. 200 identical incidents, one "
                              "finding x200; text prints the incident once with its count."),
})
# --- end of issue 16 block ---

# --- branch pods: two pods of one deployment crashing together (issue 16 item 3) ---
REPLICA_NOTE = ("GOTRACEBACK=all. main holds a lock and writes to a map it never made (inlined "
                "(*cache).refresh); 8 workers wait on their job channel and 8 handlers on the lock: 17 "
                "goroutines in 3 stacks. Captured by gen/replica-crash/capture.sh.")
META.update({
    "replica-crash-pod1": ("replica-crash", "nil_map_write", [], "main.(*cache).refresh", None,
                           REPLICA_NOTE + " The first pod's run."),
    "replica-crash-pod2": ("replica-crash", "nil_map_write", [], "main.(*cache).refresh", None,
                           REPLICA_NOTE + " The second pod's run."),
})
# --- end of branch pods block ---


# Captures that print pprof labels in goroutine headers: Go 1.27 (main module
# at go 1.27) and Go 1.26 with GODEBUG=tracebacklabels=1.
LABELLED_TAGS = ("go127", "go126-labels")

# fixture name -> label key=values that a labelled capture must show for the
# goroutines the expected finding is about (the crashing goroutine, the leaked
# or blocked group). Only labels every capture of the scenario gives that
# group; per-goroutine values (worker numbers, one of several tenants) are
# left out. Names not listed: the finding's goroutines carry no labels (no
# goroutine of interest is labelled, the runtime prints no goroutines, race
# reports, healthy dumps without a finding).
TEN = 'tenant=acme "eu"'
LABELS = {
    "seed-shared-client": ["route=/v1/stock"],
    "seed-shared-client-trimpath": ["route=/v1/stock"],
    "concurrent-map-writes": ["route=/api/v1/items"],
    "concurrent-map-read-write": ["route=/v1/config"],
    "seed-report-queue-debug2": ["method=POST", "route=/v1/login"],
    "seed-report-queue-debug1": ["method=POST", "route=/v1/login"],
    "seed-report-queue-sigquit": ["method=POST", "route=/v1/login"],
    "goroutine-leak-debug1-t1": ["route=/v1/quote", TEN],
    "goroutine-leak-debug2-t1": ["route=/v1/quote", TEN],
    "goroutine-leak-debug1-t2": ["route=/v1/quote", TEN],
    "goroutine-leak-debug2-t2": ["route=/v1/quote", TEN],
    "goroutine-leak-profile-debug1": ["route=/v1/quote", TEN],
    "goroutine-leak-profile-debug2": ["route=/v1/quote", TEN],
    "goroutine-leak-profile-debug2-1": ["route=/v1/quote", TEN],
    "http-no-timeout-pool-debug2": ["pool=account-poller"],
    "http-no-timeout-pool-sigquit": ["pool=account-poller"],
    "http-no-timeout-pool-40-held-debug2": ["pool=account-poller"],
    "http-no-timeout-pool-40-held-debug1": ["pool=account-poller"],
    "http-no-timeout-pool-40-held-sigquit": ["pool=account-poller"],
    "send-on-closed-channel": ["job=publish", "topic=orders"],
    "negative-waitgroup": ["batch=b-17", "job=process-batch"],
    "custom-panic": ["job=invoice-validate", TEN],
    "deadlock-all-asleep": ["job=fetch-items"],
    "test-timeout": ["item=apple", "test=TestReserveConcurrent", TEN],
    "gotraceback-system": ["job=metrics-collector"],
    "tracebackancestors": ["job=rebalance", TEN],
}

# The unlabelled capture a labelled one must agree with (same findings and
# culprits): the Go 1.26 capture of the same name, unless listed here.
# Rules that must not fire on a scenario's captures (every runtime's; the
# envelope variants are judged by their first finding only), with why: a
# rule staying in its lane is as much an expectation as the right one firing.
MUST_NOT_FIRE = {
    # A pool of 16 idle workers is not a leak; one in-flight request is not a missing timeout.
    "healthy-idle-server-debug2": ["GT2003", "GT2004", "GT2005", "GT2002", "GT2001"],
    # A leak of senders is not a lock problem, a deadlock or an HTTP problem.
    "goroutine-leak-debug2-t1": ["GT2001", "GT2002", "GT2004", "GT2005", "GT1001", "GT1011"],
    # A crash is not a hang, and one crash class is not another.
    "nil-deref": ["GT1001", "GT1004", "GT1005", "GT1011", "GT2003", "GT2001"],
    "concurrent-map-writes": ["GT1002", "GT1003", "GT1011", "GT2003"],
    "custom-panic": ["GT1003", "GT1004", "GT1001"],
    # A test timeout is GT2007, not a custom panic.
    "test-timeout": ["GT1011"],
    # A race on a struct field is not a map race, and vice versa (race-map
    # also holds a second race on the value slot, a plain GT1002).
    "race-field": ["GT1001"],
    "race-map": ["GT1011", "GT2003"],
    # The HTTP pool does not leak: its goroutines are in flight.
    "http-no-timeout-pool-debug2": ["GT2003", "GT2001"],
    # Nor after two minutes, with 40 requests on one shared client (issue 16
    # item 4: their connections' readLoops were blamed on "a new http.Client
    # per request"), in any form.
    "http-no-timeout-pool-40-held-debug2": ["GT2003", "GT2001"],
    "http-no-timeout-pool-40-held-debug1": ["GT2003", "GT2001"],
    "http-no-timeout-pool-40-held-sigquit": ["GT2003", "GT2001"],
    # A hung batch is not a leak, and the server's accept loop waits on no
    # client call.
    "waitgroup-never-done-debug2": ["GT2003", "GT2004"],
    # The lock-held queue is not a leak.
    "seed-report-queue-debug2": ["GT2003", "GT2004"],
}

TWIN = {"goroutine-leak-profile-debug2-1": "goroutine-leak-profile-debug2"}

GO_BARE = re.compile(r"^[A-Za-z0-9./_]+$")


def go_quote(v):
    """strconv.Quote for the ASCII values used here."""
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label_forms(kv):
    """The ways the runtime prints label k=v: Go 1.27 headers (bare or
    quoted), Go 1.26 tracebacklabels=1 headers, pprof debug=1 `# labels:`."""
    k, v = kv.split("=", 1)
    b = lambda x: x if GO_BARE.match(x) else go_quote(x)
    return ["%s: %s" % (b(k), b(v)), "%s: %s" % (go_quote(k), go_quote(v)),
            "%s:%s" % (go_quote(k), go_quote(v))]

# Variants: file name -> (source fixture name, envelope, extra also_acceptable)
VARIANT_RE = re.compile(r"^(?P<src>.+?)\.(?P<tag>go\d+(?:-labels)?)\.(?P<env>[a-z0-9-]+)\.txt(?:\.gz)?$")
CAPTURE_RE = re.compile(r"^(?P<src>.+?)\.(?P<tag>go\d+(?:-labels)?)\.txt$")

# Headers with Go 1.26 `[... labels:{...}]` or Go 1.27 ` {k: v, ...}` labels too.
HEADER_RE = re.compile(r"^goroutine \d+ (?:gp=0x[0-9a-f]+ m=\S+ (?:mp=0x[0-9a-f]+ )?)?\[.*\](?: \{.*\})?:$", re.M)
# go.uber.org/goleak's record header (stack.String), inside `go test` output:
# indented, the first one of a report after `[`.
GOLEAK_RE = re.compile(r"^\s*\[?Goroutine \d+ in state [^,\n]+, with \S+ on top of the stack:$", re.M)
TOTAL_RE = re.compile(r"^(?:goroutine|goroutineleak) profile: total (\d+)$", re.M)
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\S+Z ")
CRI_RE = re.compile(r"^(\S+) (stdout|stderr) ([PF]) ?(.*)$")


def unwrap(text, env):
    """Undo an envelope so the runtime text can be counted."""
    text = text.replace("\r\n", "\n")
    ls = text.split("\n")
    if env.startswith("kubectl-timestamps"):
        return "\n".join(TS_RE.sub("", l, count=1) for l in ls)
    if env.startswith("kubectl-prefix"):
        return "\n".join(re.sub(r"^\[pod/[^\]]*\] ", "", l) for l in ls)
    if env.startswith("cri"):
        out, cur = [], ""
        for l in ls:
            m = CRI_RE.match(l)
            if not m:
                continue
            cur += m.group(4)
            if m.group(3) == "F":
                out.append(cur)
                cur = ""
        return "\n".join(out)
    if env == "docker-json":
        return "".join(json.loads(l)["log"] for l in ls if l.strip())
    if env == "zap-json":
        out = []
        for l in ls:
            if l.strip():
                r = json.loads(l)
                out.append(r["msg"] + "\n" + r.get("stacktrace", ""))
        return "\n".join(out)
    return text


def count_goroutines(text):
    """`total N` of each debug=1 profile plus the goroutine headers of the
    tracebacks and debug=2 dumps (a file may hold both, e.g. a debug=2 and a
    debug=1 goroutineleak profile pasted one after the other), and the records
    of goleak reports."""
    return (sum(int(n) for n in TOTAL_RE.findall(text)) + len(HEADER_RE.findall(text)) +
            len(GOLEAK_RE.findall(text)))


def main():
    versions = {}
    for tag in ("go126", "go119", "go127", "go126-labels"):
        p = os.path.join(FIX, "." + tag + ".version")
        if os.path.exists(p):
            versions[tag] = open(p).read().strip()
    entries, problems = [], []
    for name in MUST_NOT_FIRE:
        if name not in META:
            problems.append("MUST_NOT_FIRE names %s, which has no META entry" % name)
    files = sorted(os.listdir(FIX)) + sorted("variants/" + f for f in os.listdir(os.path.join(FIX, "variants")))
    for rel in files:
        base = os.path.basename(rel)
        if base.startswith(".") or os.path.isdir(os.path.join(FIX, rel)):
            continue
        env = None
        m = CAPTURE_RE.match(base) if not rel.startswith("variants/") else VARIANT_RE.match(base)
        if not m:
            problems.append("unrecognised fixture name " + rel)
            continue
        if rel.startswith("variants/"):
            env = m.group("env")
        name, tag = m.group("src"), m.group("tag")
        if name not in META:
            problems.append("no META entry for " + rel)
            continue
        scen, cat, also, culprit, app, notes = META[name]
        also = list(also)
        raw = open(os.path.join(FIX, rel), "rb").read()
        if base.endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
        if env:
            text = unwrap(text, env)
            if env == "app-logs" and "nil_dereference" not in also:
                also.append("nil_dereference")
                notes = ("Application log lines before and between two traces: a recovered nil "
                         "dereference (logged) and then the fatal crash. " + notes)
            elif env == "kubectl-prefix-interleaved":
                notes = ("%s and its second pod's run as the real kubectl prints `logs -l app=hitcounter "
                         "--prefix -f` when both pods' logs stream at once: their lines interleaved one by "
                         "one, 2 pods, 6 stacks (3 per pod), one finding naming both pods. "
                         % (name + "." + tag + ".txt")) + notes.replace(" The first pod's run.", "")
            else:
                notes = ("Envelope '%s' around %s.%s.txt. " % (env, name, tag)) + notes
        for fn in filter(None, (culprit, app)):
            if fn + "(" not in text and fn + "+0x" not in text:
                problems.append("%s: culprit/app frame %s not in file" % (rel, fn))
        extra = {}
        if not env and name in MUST_NOT_FIRE:
            extra["must_not_fire"] = MUST_NOT_FIRE[name]
        if tag == "go127":
            notes = ("Go 1.27.0, main module at go 1.27: pprof labels in goroutine headers. " + notes)
            if scen == "seed-report-queue":
                notes = notes.replace(" (GODEBUG=asynctimerchan=1)", "") + (
                    " Go 1.27 removed GODEBUG asynctimerchan (setting it is fatal at start-up), so this "
                    "capture runs without it; the flusher's select still takes the timer branch while the "
                    "send is pending.")
        elif tag == "go126-labels":
            notes = "Go 1.26.8 with GODEBUG=tracebacklabels=1: labels inside the status brackets. " + notes
        if tag in LABELLED_TAGS:
            twin = "%s.go126.txt" % TWIN.get(name, name)
            if env:
                twin = "variants/" + base.replace(name + "." + tag + ".", TWIN.get(name, name) + ".go126.", 1)
                if not os.path.exists(os.path.join(FIX, twin)):
                    twin = "%s.go126.txt" % TWIN.get(name, name)
            if not os.path.exists(os.path.join(FIX, twin)):
                problems.append("%s: no unlabelled twin %s" % (rel, twin))
            extra["twin"] = "fixtures/" + twin
            extra["labels"] = LABELS.get(name, [])
            for kv in extra["labels"]:
                if not any(f in text for f in label_forms(kv)):
                    problems.append("%s: label %s not in file" % (rel, kv))
        entries.append({
            "file": "fixtures/" + rel,
            "scenario": scen,
            "go_version": versions.get(tag, tag),
            "category": cat,
            "also_acceptable": also,
            "rule": RULES.get(cat) if cat else None,
            "culprit_function": culprit,
            "app_frame": app or culprit,
            "goroutines": count_goroutines(text),
            "partial": False,
            "notes": notes.strip(),
            **extra,
        })
    with open(os.path.join(TD, "manifest.json"), "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    print("manifest: %d entries" % len(entries))
    for p in problems:
        print("manifest: WARNING " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
