#!/usr/bin/env python3
"""Opens gotriage's HTML reports in a real browser (Debian's headless Chromium
through chromium-driver and Selenium) and checks what a reader gets.

  html_browser.py GOTRIAGE SOURCE_DIR OUTPUT_DIR

- every fixture in testdata/fixtures (and variants/, gzip too): the page loads with no console
  message, the findings and per-incident goroutine and group counts are those
  of `--format json --verbose` on the same input, the script became ready;
- the 100k-goroutine dump made by bench/gendump (built and run in a temp dir):
  file size < 5 MiB, open-to-interactive < 2 s (performance.now() when the
  script finished, from navigation start), search, state, package, "only my
  code" and icicle filters give the counts the JSON says, keyboard: Tab
  reaches the search box and a group toggle, Enter opens it; with JavaScript
  off the findings and the first 100 groups are still on the page;
- injection: a real capture (testdata/fixtures/custom-panic.go126.txt) with
  <script>, "><img onerror>, javascript: URLs, bidi overrides and invalid
  UTF-8 planted in the panic message, function names and paths; the parser
  must still read them (checked in the JSON), no script runs (window.__pwned,
  document.title), nothing is fetched (no resource entries, no CSP report in
  the log) and the text is shown, escaped;
- screenshots at 1920x1080 and 1366x768 into OUTPUT_DIR.
Exits 77 (skipped) only when chromium, chromedriver or selenium is missing
(scripts/setup installs them).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

GOTRIAGE, SRC, OUT = sys.argv[1], sys.argv[2], sys.argv[3]

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
except ImportError:
    # Debian's python3-selenium lives in the system interpreter's packages;
    # a python3 first on PATH (pyenv, venv) may not see them.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("html_browser: python3-selenium is not installed (scripts/setup installs it)")
    sys.exit(77)
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
if not CHROMIUM or not DRIVER:
    print("html_browser: chromium / chromium-driver not installed (scripts/setup installs them)")
    sys.exit(77)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def run(args, **kw):
    return subprocess.run(args, capture_output=True, **kw)


def render(inp, tmp, name):
    html = os.path.join(tmp, name + ".html")
    r = run([GOTRIAGE, "--format", "html", "-o", html, inp])
    check(r.returncode in (0, 1), f"{name}: gotriage --format html exit {r.returncode}: {r.stderr[:300]!r}")
    j = run([GOTRIAGE, "--format", "json", "--verbose", inp])
    return html, json.loads(j.stdout)


def driver(width, height, javascript=True):
    opts = webdriver.ChromeOptions()
    if not javascript:
        opts.add_argument("--blink-settings=scriptEnabled=false")
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              f"--window-size={width},{height}", "--hide-scrollbars", "--force-device-scale-factor=1"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=ChromeService(executable_path=DRIVER), options=opts)
    d.set_window_size(width, height)
    # The viewport, not the window, must have the size asked for.
    inner = d.execute_script("return [window.innerWidth, window.innerHeight]")
    d.set_window_size(width + (width - inner[0]), height + (height - inner[1]))
    return d


def open_page(d, path):
    d.get("file://" + path)
    for _ in range(100):
        if d.execute_script("return document.documentElement.dataset.ready === '1'"):
            return True
        time.sleep(0.05)
    return False


def wait_for(cond, seconds=5.0):
    """True as soon as cond() holds; False when it never did within seconds."""
    end = time.time() + seconds
    while True:
        if cond():
            return True
        if time.time() > end:
            return False
        time.sleep(0.05)


def console(d):
    return [e for e in d.get_log("browser")]


def check_counts(d, name, rep):
    n = d.execute_script("return document.querySelectorAll('article.finding').length")
    check(n == len(rep["findings"]), f"{name}: {n} findings on the page, JSON has {len(rep['findings'])}")
    check(int(d.find_element(By.ID, "findings").get_attribute("data-count")) == len(rep["findings"]),
          f"{name}: findings data-count")
    rules = d.execute_script("return [...document.querySelectorAll('article.finding')].map(a => a.dataset.rule)")
    check(rules == [f["rule_id"] for f in rep["findings"]], f"{name}: rules {rules} vs JSON")
    incs = d.execute_script(
        "return [...document.querySelectorAll('section.incident')].map(s => [+s.dataset.goroutines, +s.dataset.groups])")
    want = [[i["goroutines"], i["group_count"]] for i in rep["incidents"]]
    check(incs == want, f"{name}: incidents (goroutines, groups) {incs} vs JSON {want}")
    shown = d.execute_script(
        "return [...document.querySelectorAll('section.incident')].filter(s => +s.dataset.groups > 0)"
        ".map(s => +s.dataset.shownGroups)")
    want_shown = [min(i["group_count"], 5000) for i in rep["incidents"] if i["group_count"] > 0]
    check(shown == want_shown, f"{name}: groups listed by the script {shown} vs {want_shown}")


def group_hay(g):
    parts = [g.get("state") or "unknown", g.get("labels", "")]
    for f in g.get("frames", [])[:64]:
        parts += [f["function"], f["file"]]
    if "created_by" in g:
        parts.append("created by " + g["created_by"]["function"])
    return "\n".join(parts).lower()


def shot_groups(d, path):
    """A screenshot of the first incident from its crashing stack or groups on."""
    d.execute_script("var h = document.querySelector('section.incident h3'); if (h) h.scrollIntoView()")
    d.save_screenshot(path)
    overflow = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
    check(not overflow, f"{os.path.basename(path)}: the page is wider than the window")
    d.execute_script("window.scrollTo(0, 0)")


def shown_groups(d, sec):
    time.sleep(0.25)  # the search box is debounced by 80 ms
    return int(sec.get_attribute("data-shown-groups"))


def main():
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="gotriage-html-")
    d = driver(1366, 768)
    try:
        # ---- every fixture ----
        root = os.path.join(SRC, "testdata/fixtures")
        fixtures = sorted(os.path.relpath(os.path.join(dp, f), root) for dp, _, fs in os.walk(root)
                          for f in fs if f.endswith((".txt", ".txt.gz")))
        t0 = time.time()
        for f in fixtures:
            name = re.sub(r"\.txt(\.gz)?$", "", f).replace("/", "-")
            html, rep = render(os.path.join(root, f), tmp, name)
            check(open_page(d, html), f"{name}: script never became ready")
            logs = console(d)
            check(not logs, f"{name}: console messages {logs}")
            check_counts(d, name, rep)
            check(d.execute_script("return performance.getEntriesByType('resource').length") == 0,
                  f"{name}: the page fetched something")
        print(f"fixtures: {len(fixtures)} reports checked in {time.time() - t0:.1f} s")
        # label filter (runtime/pprof labels of a Go 1.27 capture): each
        # offered `key=value` shows the groups whose goroutines carry it
        name = "goroutine-leak-debug2-t1.go127"
        html, rep = render(os.path.join(root, name + ".txt"), tmp, name)
        open_page(d, html)
        sec = d.find_element(By.ID, "incident-1")
        flabel = sec.find_element(By.CSS_SELECTOR, "select.flabel")
        check(flabel.is_displayed(), f"{name}: no label filter shown")
        groups = rep["incidents"][0]["groups"]
        values = [o.get_attribute("value") for o in Select(flabel).options[1:]]
        check(any(v.startswith("tenant=") for v in values), f"{name}: label filter offers {values}")
        for v in values:
            Select(flabel).select_by_value(v)
            k, val = v.split("=", 1)
            want = sum(1 for g in groups if any(ls["labels"].get(k) == val for ls in g.get("label_sets", [])))
            got = shown_groups(d, sec)
            check(got == want and want > 0, f"{name}: label {v!r} shows {got} groups, JSON says {want}")
        sec.find_element(By.CSS_SELECTOR, "button.clear").click()
        check(shown_groups(d, sec) == len(groups), f"{name}: clear restores every group after the label filter")
        # a capture without labels offers no label filter
        open_page(d, os.path.join(tmp, "nil-deref.go126.html"))
        check(not d.find_element(By.CSS_SELECTOR, "select.flabel").is_displayed(),
              "nil-deref.go126: a label filter with no labels to offer")

        # gotriage diff --format html: the growth of each stack signature
        # across snapshots, as the JSON of the same diff says
        ot = os.path.join(SRC, "testdata/overtime")
        snaps = [os.path.join(ot, f"leak-debug2-s{i}.txt") for i in (1, 2, 3, 4)]
        dhtml = os.path.join(tmp, "diff-leak.html")
        r = run([GOTRIAGE, "diff", "-f", "html"] + snaps)
        check(r.returncode == 1, f"diff html: exit {r.returncode} (want 1: the leak): {r.stderr[:300]!r}")
        with open(dhtml, "wb") as f:
            f.write(r.stdout if isinstance(r.stdout, bytes) else r.stdout.encode())
        dj = json.loads(run([GOTRIAGE, "diff", "-f", "json"] + snaps).stdout)
        open_page(d, dhtml)
        check(not console(d), "diff html: console messages")
        check(d.execute_script("return performance.getEntriesByType('resource').length") == 0,
              "diff html: the page fetched something")
        nf = len(d.find_elements(By.CSS_SELECTOR, "#findings .finding"))
        check(nf == len(dj["findings"]) and nf > 0, f"diff html: {nf} findings, JSON says {len(dj['findings'])}")
        changed = [g for g in dj["groups"] if g["status"] != "same"]
        rows = d.find_elements(By.CSS_SELECTOR, "table.diff tbody tr")
        check(len(rows) == len(changed), f"diff html: {len(rows)} rows, JSON has {len(changed)} changed groups")
        for g in changed:
            row = d.find_elements(By.CSS_SELECTOR, f"tr[data-signature='{g['signature']}']")
            if not check(len(row) == 1, f"diff html: no row for {g['signature']}"):
                continue
            cells = [c.text for c in row[0].find_elements(By.CSS_SELECTOR, "td.n")]
            want = [str(n) for n in g["counts"]] + [("+" if g["growth"] > 0 else "") + str(g["growth"])]
            check(cells[:len(want)] == want, f"diff html: row {g['signature']} shows {cells}, JSON {want}")
        d.save_screenshot(os.path.join(OUT, "diff-leak-1366x768.png"))

        for name in ("custom-panic.go126", "http-no-timeout-pool-debug2.go126", "race-map.go126"):
            open_page(d, os.path.join(tmp, name + ".html"))
            d.save_screenshot(os.path.join(OUT, f"{name}-1366x768.png"))
            shot_groups(d, os.path.join(OUT, f"{name}-incident-1366x768.png"))

        # ---- the 100k-goroutine dump ----
        gen = os.path.join(tmp, "gendump")
        t0 = time.time()
        r = run(["go", "build", "-o", gen, "."], cwd=os.path.join(SRC, "bench/gendump"),
                env=dict(os.environ, GOFLAGS="-mod=mod", GOTOOLCHAIN="local"))
        if not check(r.returncode == 0, f"go build bench/gendump: {r.stderr[:400]!r}"):
            raise SystemExit
        dump = os.path.join(tmp, "dump-100k.txt")
        run([gen, "-n", "100000", "-format", "debug2", "-seed", "1", "-o", dump])
        print(f"gendump: built and wrote the 100k dump in {time.time() - t0:.1f} s "
              f"({os.path.getsize(dump) / 2**20:.0f} MiB)")
        t0 = time.time()
        html, rep = render(dump, tmp, "dump-100k")
        print(f"gotriage: html + json of the 100k dump in {time.time() - t0:.1f} s")
        size = os.path.getsize(html)
        print(f"100k report: {size} bytes ({size / 2**20:.2f} MiB)")
        check(size < 5 * 2**20, f"100k report is {size} bytes, over 5 MiB")
        ready_ms = []
        for _ in range(3):
            check(open_page(d, html), "100k: script never became ready")
            ready_ms.append(d.execute_script("return window.__gtReady"))
        tti = sorted(ready_ms)[1]
        print(f"100k report open-to-interactive: median {tti:.0f} ms of {[round(x) for x in ready_ms]}")
        check(tti < 2000, f"100k report interactive after {tti:.0f} ms (limit 2000)")
        check(not console(d), "100k: console messages")
        check_counts(d, "100k", rep)
        inc = rep["incidents"][0]
        groups = inc["groups"]
        sec = d.find_element(By.ID, "incident-1")
        d.save_screenshot(os.path.join(OUT, "dump-100k-1366x768.png"))
        shot_groups(d, os.path.join(OUT, "dump-100k-groups-1366x768.png"))

        # search: a function of the largest group, counted as the script does
        fn = groups[0]["frames"][min(len(groups[0]["frames"]) - 1, max(groups[0].get("first_app_frame", 0), 0))]["function"]
        q = sec.find_element(By.CSS_SELECTOR, "input.q")
        q.send_keys(fn)
        want = sum(1 for g in groups if fn.lower() in group_hay(g))
        got = shown_groups(d, sec)
        check(got == want and want > 0, f"100k: search {fn!r} shows {got} groups, JSON says {want}")
        cards = d.execute_script("return arguments[0].querySelectorAll('.groups details.group').length", sec)
        check(cards == min(want, 100), f"100k: search shows {cards} group elements, want {min(want, 100)}")
        sec.find_element(By.CSS_SELECTOR, "button.clear").click()
        check(shown_groups(d, sec) == len(groups), "100k: clear restores every group")

        # state filter
        state = groups[-1]["state"] or "unknown"
        Select(sec.find_element(By.CSS_SELECTOR, "select.fstate")).select_by_value(state)
        want = sum(1 for g in groups if (g["state"] or "unknown") == state)
        got = shown_groups(d, sec)
        check(got == want, f"100k: state {state!r} shows {got} groups, JSON says {want}")
        sec.find_element(By.CSS_SELECTOR, "button.clear").click()

        # package filter: the first offered package
        sel = Select(sec.find_element(By.CSS_SELECTOR, "select.fpkg"))
        pkg = sel.options[1].get_attribute("value")
        sel.select_by_value(pkg)
        got = shown_groups(d, sec)
        check(got > 0, f"100k: package {pkg!r} shows no group")
        sec.find_element(By.CSS_SELECTOR, "button.clear").click()

        # only my code
        sec.find_element(By.CSS_SELECTOR, "input.fmine").click()
        want = sum(1 for g in groups if any(f["kind"] == "app" for f in g.get("frames", [])[:64]))
        got = shown_groups(d, sec)
        check(got == want, f"100k: only my code shows {got} groups, JSON says {want}")
        sec.find_element(By.CSS_SELECTOR, "button.clear").click()

        # icicle click: a second-row cell filters to the groups through it
        cell = d.execute_script(
            "return [...arguments[0].querySelectorAll('svg.fl')].find(c => c.getAttribute('y') === '20')", sec)
        if check(cell is not None, "100k: icicle has a second row"):
            cfn = cell.get_attribute("data-fn")
            d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", cell)
            want = sum(1 for g in groups if any(f["function"] == cfn for f in g.get("frames", [])[:64]))
            got = shown_groups(d, sec)
            check(got == want and got > 0, f"100k: icicle {cfn!r} shows {got} groups, JSON says {want}")
            check("through" in sec.find_element(By.CSS_SELECTOR, ".status").text, "100k: status names the icicle filter")
            sec.find_element(By.CSS_SELECTOR, "button.clear").click()

        # paging: the rest of the groups come 100 at a time
        if len(groups) > 100:
            b = sec.find_element(By.CSS_SELECTOR, ".pager button")
            b.click()
            n = d.execute_script("return arguments[0].querySelectorAll('.groups details.group').length", sec)
            check(n == min(200, len(groups)), f"100k: after one page {n} groups shown")

        # keyboard: Tab reaches the search box, then a group toggle; Enter opens it
        d.execute_script("window.scrollTo(0,0); document.activeElement && document.activeElement.blur()")
        body = d.find_element(By.TAG_NAME, "body")
        reached_search = reached_toggle = False
        for _ in range(400):
            d.switch_to.active_element.send_keys(Keys.TAB)
            a = d.switch_to.active_element
            if a.get_attribute("class") == "q":
                reached_search = True
            if reached_search and a.tag_name == "summary" and \
                    d.execute_script("return arguments[0].parentElement.classList.contains('group')", a):
                reached_toggle = True
                a.send_keys(Keys.ENTER)
                check(d.execute_script("return arguments[0].parentElement.open", a), "100k: Enter did not open the group")
                # The stack is rendered on the toggle event, after Enter
                # returns: wait for it (a loaded machine takes a while).
                check(wait_for(lambda: d.execute_script(
                          "return arguments[0].parentElement.querySelectorAll('ol.stack li').length", a) > 0),
                      "100k: opened group shows no stack within 5 s")
                break
        check(reached_search, "100k: Tab never reached the search box")
        check(reached_toggle, "100k: Tab never reached a group toggle")
        check(not console(d), "100k: console messages after interaction")
        d.quit()
        d = driver(1920, 1080)
        open_page(d, html)
        d.save_screenshot(os.path.join(OUT, "dump-100k-1920x1080.png"))
        shot_groups(d, os.path.join(OUT, "dump-100k-groups-1920x1080.png"))
        open_page(d, os.path.join(tmp, "custom-panic.go126.html"))
        d.save_screenshot(os.path.join(OUT, "custom-panic.go126-1920x1080.png"))
        # the dark theme (prefers-color-scheme) at laptop width
        d.set_window_size(1366, 768)
        d.execute_cdp_cmd("Emulation.setEmulatedMedia",
                          {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        open_page(d, html)
        shot_groups(d, os.path.join(OUT, "dump-100k-groups-dark-1366x768.png"))
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        d.set_window_size(1920, 1080)

        # ---- with JavaScript off the diagnosis and the groups are there ----
        d.quit()
        d = driver(1366, 768, javascript=False)
        d.get("file://" + html)
        check(len(d.find_elements(By.CSS_SELECTOR, "article.finding")) == len(rep["findings"]),
              "no-JS: findings missing")
        check(len(d.find_elements(By.CSS_SELECTOR, "details.group")) == min(100, len(groups)), "no-JS: groups missing")
        check(d.find_element(By.CSS_SELECTOR, ".controls").get_attribute("hidden") is not None,
              "no-JS: the controls that need the script are shown")
        d.save_screenshot(os.path.join(OUT, "dump-100k-nojs-1366x768.png"))
        d.quit()
        d = driver(1920, 1080)

        # ---- injection ----
        injection(d, tmp)
    finally:
        d.quit()
        shutil.rmtree(tmp, ignore_errors=True)  # the 100k dump is 182 MiB
    if failures:
        print(f"{len(failures)} failures")
        sys.exit(1)
    print("html_browser: all checks passed; screenshots in", OUT)


def injection(d, tmp):
    src = open(os.path.join(SRC, "testdata/fixtures/custom-panic.go126.txt"), "rb").read()
    msg = (b"<script>window.__pwned=1;document.title='PWNED'</script> \"><img src=x onerror=\"window.__pwned=2\"> "
           b"javascript:window.__pwned=3 \xe2\x80\xaeevil\xe2\x80\xac bad\xff\xfeutf8")
    text = src.replace(b"invoice INV-2: total 12 does not match line sum 10", msg)

    # paths: a javascript: module path and an attribute breakout, in place of
    # the file:line of a frame as the capture has it (the checkout it was
    # made in and the line numbers change when the fixture is regenerated)
    def frame_file(func):
        m = re.search(rb"^" + re.escape(func) + rb"\(.*\n\t(\S+\.go):(\d+) ", text, re.M)
        check(m is not None, f"injection: no frame {func!r} in custom-panic.go126.txt")
        return (m.group(1), m.group(2)) if m else (b"", b"")
    for func, path in ((b"main.worker", b"/go/pkg/mod/javascript:window.__pwned=5@v1.0.0/x/main.go"),
                       (b"main.validate", b"/go/pkg/mod/github.com/o/r@v1.0.0/\"><img src=x onerror=window.__pwned=6>/main.go")):
        file, line = frame_file(func)
        if file:
            text = text.replace(b"\t" + file + b":" + line + b" ", b"\t" + path + b":" + line + b" ")
    # function names: markup, a bidi override and invalid UTF-8 (no spaces or
    # parentheses, which a Go function name cannot hold either)
    text = text.replace(b"main.worker(", b"main.worker<svg/onload=window.__pwned=4>(")
    text = text.replace(b"main.validate(", b"main.validate\xe2\x80\xae\xff(")
    # pod and node names: a real kubectl describe capture appended
    pod = open(os.path.join(SRC, "testdata/corpus/threads/67-k8s-93826-describe-flattened-indent-exit-1-restarts-19.log"),
               "rb").read()
    pod = pod.replace(b"Name: wordpress-5bbd7fd785-p4s9r", b"Name: web-<img/src=x/onerror=window.__pwned=7>")
    pod = pod.replace(b"Node: manjeet-vostro-3558", b"Node: \"><svg onload=window.__pwned=8>")
    text = text + b"\n" + pod
    check(text.count(b"__pwned") >= 7, "injection: payloads planted")
    inp = os.path.join(tmp, "injection.txt")
    open(inp, "wb").write(text)
    html, rep = render(inp, tmp, "injection")
    blob = json.dumps(rep, ensure_ascii=False)
    for planted in ("<script>window.__pwned=1", "main.worker<svg/onload=window.__pwned=4>",
                    "javascript:window.__pwned=5@v1.0.0", "onerror=window.__pwned=6>/main.go", "\u202eevil",
                    "web-<img/src=x/onerror=window.__pwned=7>", "\"><svg onload=window.__pwned=8>"):
        check(planted in blob, f"injection: the parser did not keep {planted!r} (the test would prove nothing)")
    raw = open(html, "rb").read()
    check(not re.search(rb"href=[\"']?\s*javascript", raw, re.I), "injection: a javascript: href in the file")
    open_page(d, html)
    time.sleep(0.5)
    check(d.execute_script("return window.__pwned") is None, "injection: a payload script ran")
    check(d.title != "PWNED" and "PWNED" not in d.title, "injection: title changed")
    check(d.execute_script("return performance.getEntriesByType('resource').length") == 0,
          "injection: something was fetched")
    check(d.execute_script("return document.querySelectorAll('img, iframe, object, embed').length") == 0,
          "injection: an element was injected")
    check(d.execute_script("return document.scripts.length") == 2, "injection: extra script elements")
    check(d.execute_script("return [...document.querySelectorAll('[href]')].filter(e => !/^(https:|#)/.test(e.getAttribute('href'))).length") == 0,
          "injection: a link that is neither https: nor in-page")
    check(d.execute_script("return [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length") == 0,
          "injection: an element with an event handler attribute")
    logs = console(d)
    check(not logs, f"injection: console messages (a CSP report means escaping failed): {logs}")
    body = d.find_element(By.TAG_NAME, "body").text
    check("<script>window.__pwned=1" in body, "injection: the panic message is not shown as text")
    check("\\u{202E}evil" in body, "injection: the bidi override is not shown escaped")
    check("bad\ufffd\ufffdutf8" in body, "injection: invalid UTF-8 is not shown as U+FFFD")
    check("main.worker<svg/onload=window.__pwned=4>" in body, "injection: the function name is not shown as text")
    check("web-<img/src=x/onerror=window.__pwned=7>" in body, "injection: the pod name is not shown as text")
    # the script-rendered groups too (opened)
    d.execute_script("document.querySelectorAll('details').forEach(x => x.open = true)")
    time.sleep(0.2)
    check(d.execute_script("return window.__pwned") is None, "injection: a payload ran after opening groups")
    check(not console(d), "injection: console messages after opening groups")
    d.save_screenshot(os.path.join(OUT, "injection-1920x1080.png"))


if __name__ == "__main__":
    main()
