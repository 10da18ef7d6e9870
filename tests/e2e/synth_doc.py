#!/usr/bin/env python3
"""Writes a synthetic ncbench.result/1 document for the report tests.

usage: synth_doc.py OUT.json HOST SEED [--FLAG=V...] SPEC... [@PATH=JSON...]
SPEC: cipher:size:threads:gbps[:spread[:rr]][+KEY=VALUE...]  (spread:
relative noise, default 0.005; rr: a request/response result with latency
percentiles); five samples each, drawn around gbps from SEED. size may be
a range LO-HI: one result per size (with one sample each, to keep large
documents small). +KEY=VALUE set what a flow-pattern result has:
  +workload=W   the workload (default cipher; rr with :rr)
  +backend=B    the backend (default openssl)
  +io=E         "io" and options.io (uring, epoll)
  +sas=N        options.sas and sa{count N, dist, bytes_per_sa, create_per_s}
  +dist=D       sa.dist and options["sa-dist"] (default: sa.dist uniform)
  +bpsa=B       sa.bytes_per_sa (default 1000)
  +create=R     sa.create_per_s (default 100000)
  +flows=N      options.flows
  +nogso        options["no-gso"] = true
  +sys=TX,RX    io_detail.syscalls_per_packet
  +us=X         summary.service_demand.us_per_packet (CPU us per packet),
                and each sample's cpu_seconds to match
  +transport=T  "transport" (a network case)
  +framing=F    "framing" (and transport udp unless +transport says)
  +share=X      summary.phases{crypto_share X}
  +phases=C,O   summary.phases: C crypto and O other cycles per packet
  +gpc=X        summary.gbps_per_core
  +imix=NAME    a traffic mix ("imix"; size stays the mean)
  +sent=N       each sample's sent_packets; +drops=N errors.drops
  +auth=N       errors.auth_fail
  +lat=P50,P99  latency_ns p50 and p99 (ns)
Flags, for every case (each one adds the fields a run writes for it):
  --reps=N      repetitions per process (default 5)
  --procs=P     P processes ("processes", each sample's "process")
  --pspread=S   relative spread between processes (default 0)
  --noise       per-sample disturbance fields and the case's noise{}
  --disturbed=K the first K repetitions of each case disturbed (canary)
  --dropped=K   the first K repetitions dropped (and disturbed)
  --options=J   the case's options{} (JSON object)
  --canary=NS   canary_ns of the undisturbed repetitions (default 500000)
  --peer=ADDR   a two-host case (run --peer): the case's peer{} with this
                address, each sample's peer{} and summary.peer
  --mode=M      the peer's mode (forward, reverse, bidir; default forward)
  --peer-host=H the peer's hostname (default peer-HOST)
  --peer-cpb=X  the peer's cycles per byte (default 2.0)
  --peer-canary=NS  the peer's canary_ns per sample (default 400000)
@PATH=JSON sets a field after the fact, for hostile documents: PATH is
dot-separated keys and list indexes (results.0.backend; * for every
element), JSON its new value; @PATH deletes the field.
"""
import json
import random
import sys


def patch(node, keys, value, is_set):
    k = keys[0]
    if k == "*":
        for child in node:
            patch(child, keys[1:], value, is_set) if len(keys) > 1 else None
        return
    if len(keys) > 1:
        patch(node[k], keys[1:], value, is_set)
    elif is_set:
        node[k] = value
    else:
        del node[k]


def add_flow_fields(r, attrs):
    """The +KEY=VALUE attributes of a spec, as a flow-pattern run writes them."""
    opts = r.setdefault("options", {})
    for k in ("workload", "backend"):
        if k in attrs:
            r[k] = attrs[k]
    if "io" in attrs:
        r["io"] = opts["io"] = attrs["io"]
    if "dist" in attrs:
        opts["sa-dist"] = attrs["dist"]
    if "sas" in attrs:
        opts["sas"] = int(attrs["sas"])
        r["sa"] = {"count": int(attrs["sas"]), "dist": attrs.get("dist", "uniform"),
                   "bytes_per_sa": int(attrs.get("bpsa", 1000)),
                   "create_per_s": float(attrs.get("create", 100000))}
    if "flows" in attrs:
        opts["flows"] = int(attrs["flows"])
    if "nogso" in attrs:
        opts["no-gso"] = True
    if "sys" in attrs:
        tx, rx = (float(x) for x in attrs["sys"].split(","))
        r["io_detail"] = {"tx": "uring: synthetic", "rx": "uring: synthetic",
                          "syscalls_per_packet": {"tx": tx, "rx": rx}}
    if "us" in attrs:
        r["summary"]["service_demand"]["us_per_packet"] = float(attrs["us"])
        for smp in r["samples"]:
            smp["cpu_seconds"] = float(attrs["us"]) * 1e-6 * smp["packets"]
    if "phases" in attrs:
        c, o = (float(x) for x in attrs["phases"].split(","))
        r["summary"]["phases"] = {"crypto_cycles": c, "other_cycles": o,
                                  "crypto_share": c / (c + o)}
    if "gpc" in attrs:
        r["summary"]["gbps_per_core"] = float(attrs["gpc"])
    if "imix" in attrs:
        r["imix"] = attrs["imix"]
    if "framing" in attrs:
        r["framing"], r["transport"] = attrs["framing"], "udp"
    if not opts:
        del r["options"]


def add_case_fields(r, attrs):
    """The +KEY=VALUE attributes the findings read."""
    for k in ("transport", "framing"):
        if k in attrs:
            r[k] = attrs[k]
    if "share" in attrs:
        r["summary"]["phases"] = {"crypto_cycles": 1000.0, "other_cycles": 1000.0,
                                  "crypto_share": float(attrs["share"])}
    if "gpc" in attrs:
        r["summary"]["gbps_per_core"] = float(attrs["gpc"])
    if "sent" in attrs:
        for s in r["samples"]:
            s["sent_packets"] = int(attrs["sent"])
    if "drops" in attrs:
        r["errors"]["drops"] = int(attrs["drops"])
    if "auth" in attrs:
        r["errors"]["auth_fail"] = int(attrs["auth"])
    if "lat" in attrs:
        p50, p99 = (float(x) for x in attrs["lat"].split(","))
        r["latency_ns"].update({"p50": p50, "p99": p99})


def main():
    out, host, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rnd = random.Random(seed)
    results = []
    flags = dict(a[2:].partition("=")[::2] for a in sys.argv[4:] if a.startswith("--"))
    specs = [a for a in sys.argv[4:] if a[0] not in "@-"]
    patches = [a[1:] for a in sys.argv[4:] if a.startswith("@")]
    reps = int(flags.get("reps", 5))
    procs = int(flags["procs"]) if "procs" in flags else None
    pspread = float(flags.get("pspread", 0))
    disturbed = int(flags.get("disturbed", 0))
    dropped = int(flags.get("dropped", 0))
    canary = int(flags.get("canary", 500000))
    has_noise = "noise" in flags or disturbed or dropped
    peer = flags.get("peer")
    peer_host = flags.get("peer-host", "peer-" + host)
    peer_cpb = float(flags.get("peer-cpb", 2.0))
    peer_canary = int(flags.get("peer-canary", 400000))
    expanded = []
    for spec in specs:
        parts = spec.split(":")
        if "-" in parts[1]:
            lo, hi = (int(x) for x in parts[1].split("-"))
            expanded += [(":".join([parts[0], str(z)] + parts[2:]), 1)
                         for z in range(lo, hi + 1)]
        else:
            expanded.append((spec, reps * (procs or 1)))
    for spec, n_samples in expanded:
        spec, *attrs = spec.split("+")
        attrs = dict(a.partition("=")[::2] for a in attrs)
        parts = spec.split(":")
        cipher, size, threads, gbps = parts[0], int(parts[1]), int(parts[2]), float(parts[3])
        spread = float(parts[4]) if len(parts) > 4 else 0.005
        is_rr = len(parts) > 5 and parts[5] == "rr"
        samples = []
        factor = 1
        for j in range(n_samples):
            if procs and j % reps == 0 and pspread:
                factor = 1 + rnd.uniform(-pspread, pspread)
            g = gbps * factor * (1 + rnd.uniform(-spread, spread))
            secs = 0.5
            byts = int(g * 1e9 / 8 * secs)
            samples.append({"bytes": byts, "wire_bytes": byts, "packets": byts // size,
                            "seconds": secs, "cpu_seconds": 0.5 * threads,
                            "system_cpu": {"user": 0, "system": 0, "softirq": 0},
                            "gbps": byts * 8 / secs / 1e9})
            if procs:
                samples[-1]["process"] = j // reps
            if peer:
                samples[-1]["peer"] = {"seconds": secs, "cpu_seconds": 0.5 * threads,
                                       "cycles": int(peer_cpb * byts), "cycles_source": "tsc",
                                       "nivcsw": 3, "canary_ns": peer_canary}
            if has_noise:
                is_dist = j < max(disturbed, dropped)
                samples[-1].update({
                    "noise": {"steal_s": 0, "others_s": 0.01 if is_dist else 0,
                              "irq_s": 0, "softirq_s": 0, "nivcsw": 0,
                              "canary_ns": 600000 if is_dist else canary,
                              "canary_drift": 0.2 if is_dist else 0},
                    "disturbed": is_dist,
                    "disturbed_by": ["canary"] if is_dist else [],
                    "dropped": j < dropped})
        kept = [s for s in samples if not s.get("dropped")] or samples
        gs = sorted(s["gbps"] for s in kept)
        med = gs[len(gs) // 2]
        pps = med * 1e9 / 8 / size
        results.append({
            "workload": "rr" if is_rr else "cipher", "cipher": cipher, "backend": "openssl",
            "direction": "seal", "size": size, "threads": threads,
            "workers": threads, "cpus": list(range(threads)), "placement": [],
            "repeat": n_samples if procs is None else reps, "duration_s": 0.5, "samples": samples,
            "summary": {"gbps": {"median": med, "mean": sum(gs) / len(gs), "stddev": 0,
                                 "min": gs[0], "max": gs[-1], "ci95": [gs[0], gs[-1]]},
                        "pps": {"median": pps, "mean": pps, "stddev": 0, "min": pps,
                                "max": pps, "ci95": [pps, pps]},
                        "wire_gbps": med, "cycles_per_byte": 1.0,
                        "cycles_source": "tsc-estimate", "cpu_util": float(threads),
                        "gbps_per_core": med / threads,
                        "service_demand": {"us_per_mb": 1.0,
                                           "us_per_packet": threads * 1e6 / pps}},
            "errors": {"auth_fail": 0, "replay": 0, "drops": 0, "mismatch": 0},
            "verified": False})
        if procs:
            results[-1].update({"processes": procs, "repeat": reps,
                                "repeat_mode": "fixed", "repeat_stop": "fixed"})
        if has_noise:
            results[-1]["noise"] = {
                "repetitions": n_samples, "disturbed": max(disturbed, dropped),
                "dropped": dropped, "steal_share_max": 0, "others_share_max": 0,
                "nivcsw_per_s_max": 0, "canary_drift_max": 0.2 if disturbed else 0,
                "canary_ns_median": 500000, "rule": "synthetic"}
        if "options" in flags:
            results[-1]["options"] = json.loads(flags["options"])
        add_flow_fields(results[-1], attrs)
        if peer:
            results[-1]["peer"] = {
                "address": peer, "mode": flags.get("mode", "forward"), "role": "run",
                "host": {"hostname": peer_host, "kernel": "6.1",
                         "cpu_model": "Synthetic CPU " + peer_host, "pus": 32,
                         "hygiene": {"governor": "performance", "thp": "madvise"}},
                "workers": threads,
                "placement": [{"pu": k, "core": k, "numa": 0, "mem_bound": True}
                              for k in range(threads)]}
            results[-1]["summary"]["peer"] = {
                "cycles_per_byte": peer_cpb, "cpu_util": float(threads),
                "gbps_per_core": med / threads, "us_per_packet": threads * 2e6 / pps}
        if is_rr:
            base = 20000 * (1 + size / 1500)
            results[-1]["latency_ns"] = {"p50": base, "p90": 1.3 * base, "p99": 2 * base,
                                         "p999": 4 * base, "max": 9 * base,
                                         "count": 20000}
        add_case_fields(results[-1], attrs)
    doc = {"schema": "ncbench.result/1",
           "tool": {"name": "ncbench", "version": "0.1.0", "git": "synthetic"},
           "host": {"hostname": host, "kernel": "6.1", "cpu_model": "Synthetic CPU " + host,
                    "pus": 64},
           "libraries": {"openssl": "3.0", "gcrypt": "1.10", "liburing": "2.3",
                         "hwloc": "2.9", "jansson": "2.14"},
           "started": "2026-11-22T00:00:%02dZ" % (seed % 60), "complete": True,
           "config": {}, "results": results}
    for p in patches:
        path, eq, value = p.partition("=")
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        patch(doc, keys, json.loads(value) if eq else None, bool(eq))
    with open(out, "w") as f:
        json.dump(doc, f, indent=None if len(expanded) > 1000 else 1)


main()
