#!/usr/bin/env python3
"""packaging/k8s/gotriage-watch.yaml: the DaemonSet that runs `gotriage
watch` on every node (issue 20).

Checks what the manifest promises -- the pods' log directory mounted
read-only, a non-root agent that cannot gain privileges, a read-only root
filesystem, no capability, no API token, resource requests and limits --
and then runs the agent's own arguments, as written, against a kubelet log
tree in a temporary directory (the mount paths mapped there, $(NODE_NAME)
expanded as kubelet does, Alertmanager left out): they must be accepted and
report the crash with the node's name.

Usage: daemonset_manifest.py GOTRIAGE_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    # Debian's python3-yaml (scripts/setup) is in the system interpreter's
    # packages; a python3 first on PATH (pyenv, venv) may not see it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise


def main():
    binary, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    with open(os.path.join(src, "packaging/k8s/gotriage-watch.yaml"), encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    ds = next(d for d in docs if d["kind"] == "DaemonSet")
    spec = ds["spec"]["template"]["spec"]
    pod_sc = spec["securityContext"]
    assert pod_sc["runAsNonRoot"] is True and pod_sc["runAsUser"] != 0, pod_sc
    assert spec["automountServiceAccountToken"] is False, "the agent needs no API access"
    (c,) = spec["containers"]
    sc = c["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True, sc
    assert sc["capabilities"]["drop"] == ["ALL"] and "add" not in sc["capabilities"], sc
    assert c["resources"]["limits"]["memory"] and c["resources"]["limits"]["cpu"], c["resources"]
    assert c["resources"]["requests"]["memory"], c["resources"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    logs = mounts["/var/log/pods"]
    assert logs.get("readOnly") is True, logs
    assert volumes[logs["name"]]["hostPath"]["path"] == "/var/log/pods", volumes[logs["name"]]
    for init in spec.get("initContainers", []):
        isc = init["securityContext"]
        assert isc["allowPrivilegeEscalation"] is False and isc["capabilities"]["drop"] == ["ALL"], isc
        assert set(isc["capabilities"].get("add", [])) <= {"CHOWN"}, isc
    print("manifest: read-only logs, non-root, no escalation, no capability, no token, limits: ok")

    # The arguments as written, on a temporary node.
    with tempfile.TemporaryDirectory() as tmp:
        paths = {m: os.path.join(tmp, m.strip("/").replace("/", "_")) for m in mounts}
        podlog = os.path.join(paths["/var/log/pods"], "shop_api-5c9d_0a1b2c3d", "api", "0.log")
        os.makedirs(os.path.dirname(podlog))
        for p in paths.values():
            os.makedirs(p, exist_ok=True)
        with open(os.path.join(src, "testdata/fixtures/nil-deref.go126.txt"), encoding="utf-8") as f, \
                open(podlog, "w", encoding="utf-8") as out:
            for n, line in enumerate(f.read().splitlines()):
                out.write(f"2026-11-30T12:00:00.{n:09d}Z stderr F {line}\n")
        env = {"NODE_NAME": "node-a"}
        args = []
        for a in c["args"]:
            for var, value in env.items():
                a = a.replace(f"$({var})", value)
            for m, p in paths.items():
                a = a.replace(m, p)
            if not a.startswith(("--alertmanager", "--spool")):
                args.append(a)
        r = subprocess.run([binary, *args, "--once"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 1, (r.returncode, r.stderr)  # a critical finding
        recs = [json.loads(l) for l in r.stdout.splitlines()]
        assert [x["rule_id"] for x in recs] == ["GT1003"], recs
        assert (recs[0]["namespace"], recs[0]["pod"], recs[0]["node"]) == ("shop", "api-5c9d", "node-a"), recs[0]
        state = os.path.join(paths["/var/lib/gotriage"], "watch-state.json")
        assert os.path.exists(state), "the state file is where the manifest's volume keeps it"
        print("manifest: the agent's arguments run as written:", " ".join(args[:2]), "...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
