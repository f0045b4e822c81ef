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

RULES = {
    "concurrent_map_access": "GT1001", "data_race": "GT1002", "nil_dereference": "GT1003",
    "index_out_of_range": "GT1004", "nil_map_write": "GT1005", "closed_channel": "GT1006",
    "waitgroup_misuse": "GT1007", "mutex_misuse": "GT1008", "stack_overflow": "GT1009",
    "out_of_memory": "GT1010", "custom_panic": "GT1011", "deadlock": "GT2001",
    "lock_held_across_channel_op": "GT2002", "goroutine_leak": "GT2003",
    "missing_http_timeout": "GT2004", "worker_pool_exhaustion": "GT2005", "timer_misuse": "GT2006",
    "test_timeout_hang": "GT2007",
}

# fixture name (file name without .goNNN.txt) ->
#   (scenario, category, also_acceptable, culprit_function, app_frame or None (= culprit), notes)
RQ_NOTE = ("Report queue wedged: one producer blocks in (*ReportQueue).Add on an unbuffered channel send "
           "while holding q.mu; the flusher (flushLoop -> Drain) and every later producer wait on "
           "sync.Mutex.Lock. The flusher re-arms its timer with Reset without Stop+drain "
           "(GODEBUG=asynctimerchan=1), which makes it take the timer branch while the send is pending.")
LEAK_NOTE = ("fetchPrice's goroutine sends on an unbuffered channel nobody receives after the caller "
             "returned early (ctx timeout or validation error); leaked goroutines accumulate in chan send.")
META = {
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
}

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

# Variants: file name -> (source fixture name, envelope, extra also_acceptable)
VARIANT_RE = re.compile(r"^(?P<src>.+?)\.(?P<tag>go\d+)\.(?P<env>[a-z0-9-]+)\.txt(?:\.gz)?$")
CAPTURE_RE = re.compile(r"^(?P<src>.+?)\.(?P<tag>go\d+)\.txt$")

HEADER_RE = re.compile(r"^goroutine \d+ (?:gp=0x[0-9a-f]+ m=\S+ (?:mp=0x[0-9a-f]+ )?)?\[[^\]]*\]:$", re.M)
TOTAL_RE = re.compile(r"^(?:goroutine|goroutineleak) profile: total (\d+)$", re.M)
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\S+Z ")
CRI_RE = re.compile(r"^(\S+) (stdout|stderr) ([PF]) ?(.*)$")


def unwrap(text, env):
    """Undo an envelope so the runtime text can be counted."""
    text = text.replace("\r\n", "\n")
    ls = text.split("\n")
    if env.startswith("kubectl-timestamps"):
        return "\n".join(TS_RE.sub("", l, count=1) for l in ls)
    if env == "kubectl-prefix":
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
    m = TOTAL_RE.search(text)
    if m:
        return int(m.group(1))
    return len(HEADER_RE.findall(text))


def main():
    versions = {}
    for tag in ("go126", "go119"):
        p = os.path.join(FIX, "." + tag + ".version")
        if os.path.exists(p):
            versions[tag] = open(p).read().strip()
    entries, problems = [], []
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
            else:
                notes = ("Envelope '%s' around %s.%s.txt. " % (env, name, tag)) + notes
        for fn in filter(None, (culprit, app)):
            if fn + "(" not in text and fn + "+0x" not in text:
                problems.append("%s: culprit/app frame %s not in file" % (rel, fn))
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
