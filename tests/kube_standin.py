#!/usr/bin/env python3
"""A Kubernetes API server stand-in for the kubectl-gotriage test.

Serves, on 127.0.0.1 and a random port, the recorded responses in a scenario
directory (tests/kube/):
  crashloop-pods.json    a PodList, as GET /api/v1/namespaces/NS/pods returns it
  crashloop-events.json  an EventList
  crash-runN.log         the previous container logs of pod N (in list order)
and the discovery documents kubectl reads first (/api, /apis, /api/v1).
Pods are filtered by labelSelector (equality terms), events by
fieldSelector involvedObject.name=..., as the real API server does.

Options for `kubectl logs -l SELECTOR --prefix -f` (the test of interleaved
pods, tests/fleet/kubectl_interleave.sh): --pods N serves only the first N
pods; --log POD=FILE serves FILE as POD's log; a log request with
follow=true streams the log (chunked) one line every --line-delay seconds,
so that kubectl, which follows several pods at once, interleaves their
lines as it does with real pods that crash together.

Every request is appended to the request log (one line: METHOD PATH?QUERY)
so the test can assert exactly what kubectl asked for. Paths listed with
--forbid answer 403 with a real Status body, to exercise RBAC messages.

Prints the port on stdout, then serves until killed.
"""
import argparse
import json
import os
import sys
import urllib.parse
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("scenario")
ap.add_argument("request_log")
ap.add_argument("--forbid", action="append", default=[],
                help="path prefix answered with 403 Forbidden")
ap.add_argument("--pods", type=int, default=0, help="serve only the first N pods")
ap.add_argument("--log", action="append", default=[], help="POD=FILE: POD's log")
ap.add_argument("--line-delay", type=float, default=0.002,
                help="seconds between two lines of a followed log")
args = ap.parse_args()

with open(os.path.join(args.scenario, "crashloop-pods.json")) as f:
    POD_LIST = json.load(f)
with open(os.path.join(args.scenario, "crashloop-events.json")) as f:
    EVENT_LIST = json.load(f)
if args.pods:
    POD_LIST["items"] = POD_LIST["items"][:args.pods]
LOGS = {}
for i, pod in enumerate(POD_LIST["items"]):
    p = os.path.join(args.scenario, "crash-run%d.log" % (i + 1))
    if os.path.exists(p):
        with open(p, "rb") as f:
            LOGS[pod["metadata"]["name"]] = f.read()

for spec in args.log:
    name, _, path = spec.partition("=")
    with open(path, "rb") as f:
        LOGS[name] = f.read()

RESOURCES = {
    "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1",
    "resources": [
        {"name": "pods", "singularName": "", "namespaced": True, "kind": "Pod",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update",
                   "watch"], "shortNames": ["po"], "categories": ["all"]},
        {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod",
         "verbs": ["get"]},
        {"name": "events", "singularName": "", "namespaced": True, "kind": "Event",
         "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update",
                   "watch"], "shortNames": ["ev"]},
    ],
}


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def label_match(labels, selector):
    for term in filter(None, selector.split(",")):
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k.strip()) == v.strip():
                return False
        elif "=" in term:
            k, v = term.split("=", 1)
            if labels.get(k.strip()) != v.strip().lstrip("="):
                return False
        elif labels.get(term.strip()) is None:
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):  # quiet: the request log is the record
        pass

    def send(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def stream(self, data):
        """A followed log: chunked, one line at a time, then the end (the
        container exited)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in data.splitlines(keepends=True):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()
            time.sleep(args.line_delay)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def do_GET(self):
        with open(args.request_log, "a") as f:
            f.write("GET %s\n" % self.path)
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        parts = u.path.strip("/").split("/")
        for prefix in args.forbid:
            if u.path.startswith(prefix):
                res = parts[4] if len(parts) > 4 else parts[-1]
                return self.send(403, status(403, "Forbidden",
                    'pods "%s" is forbidden: User "system:serviceaccount:shop:oncall" cannot '
                    'get resource "%s" in API group "" in the namespace "%s"'
                    % (parts[5] if len(parts) > 5 else "", res, parts[3] if len(parts) > 3 else "")))
        if u.path == "/api":
            return self.send(200, {"kind": "APIVersions", "versions": ["v1"],
                                   "serverAddressByClientCIDRs": [
                                       {"clientCIDR": "0.0.0.0/0",
                                        "serverAddress": "127.0.0.1:%d" % self.server.server_port}]})
        if u.path == "/apis":
            return self.send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
        if u.path == "/api/v1":
            return self.send(200, RESOURCES)
        if u.path == "/version":
            return self.send(200, {"major": "1", "minor": "29", "gitVersion": "v1.29.4"})
        # kubectl asks for the namespace after a 404, to say which is missing.
        if len(parts) == 4 and parts[:3] == ["api", "v1", "namespaces"]:
            if any(p["metadata"]["namespace"] == parts[3] for p in POD_LIST["items"]):
                return self.send(200, {"kind": "Namespace", "apiVersion": "v1",
                                       "metadata": {"name": parts[3]},
                                       "spec": {"finalizers": ["kubernetes"]},
                                       "status": {"phase": "Active"}})
            return self.send(404, status(404, "NotFound", 'namespaces "%s" not found' % parts[3]))
        # /api/v1/namespaces/NS/(pods|events)[/NAME[/log]]
        if len(parts) >= 5 and parts[:3] == ["api", "v1", "namespaces"]:
            ns, kind = parts[3], parts[4]
            if kind == "pods":
                pods = [p for p in POD_LIST["items"] if p["metadata"]["namespace"] == ns]
                if len(parts) == 5:
                    sel = q.get("labelSelector", "")
                    items = [p for p in pods if label_match(p["metadata"].get("labels", {}), sel)]
                    return self.send(200, dict(POD_LIST, items=items))
                name = parts[5]
                pod = next((p for p in pods if p["metadata"]["name"] == name), None)
                if pod is None:
                    return self.send(404, status(404, "NotFound", 'pods "%s" not found' % name))
                if len(parts) == 6:
                    return self.send(200, pod)
                if len(parts) == 7 and parts[6] == "log":
                    if q.get("previous") == "true":
                        if name in LOGS:
                            return self.send(200, LOGS[name], "text/plain")
                        return self.send(400, status(
                            400, "BadRequest",
                            'previous terminated container "%s" in pod "%s" not found'
                            % (q.get("container", ""), name)))
                    if q.get("follow") == "true" and name in LOGS:
                        return self.stream(LOGS[name])
                    return self.send(200, b"", "text/plain")
            if kind == "events" and len(parts) == 5:
                fs = q.get("fieldSelector", "")
                items = EVENT_LIST["items"]
                for term in filter(None, fs.split(",")):
                    k, _, v = term.partition("=")
                    if k == "involvedObject.name":
                        items = [e for e in items if e["involvedObject"]["name"] == v]
                items = [e for e in items if e["metadata"]["namespace"] == ns]
                return self.send(200, dict(EVENT_LIST, items=items))
        return self.send(404, status(404, "NotFound", "the server could not find the requested resource"))

    def do_POST(self):
        with open(args.request_log, "a") as f:
            f.write("POST %s\n" % self.path)
        self.send(405, status(405, "MethodNotAllowed", "read-only stand-in"))

    do_PUT = do_PATCH = do_DELETE = do_POST


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
