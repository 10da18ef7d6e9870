#!/usr/bin/env python3
"""Writes a synthetic ncbench.result/1 document for the report tests.

usage: synth_doc.py OUT.json HOST SEED SPEC...
SPEC: cipher:size:threads:gbps[:spread[:rr]]  (spread: relative noise,
default 0.005; rr: a request/response result with latency percentiles);
five samples each, drawn around gbps from SEED.
"""
import json
import random
import sys


def main():
    out, host, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rnd = random.Random(seed)
    results = []
    for spec in sys.argv[4:]:
        parts = spec.split(":")
        cipher, size, threads, gbps = parts[0], int(parts[1]), int(parts[2]), float(parts[3])
        spread = float(parts[4]) if len(parts) > 4 else 0.005
        is_rr = len(parts) > 5 and parts[5] == "rr"
        samples = []
        for _ in range(5):
            g = gbps * (1 + rnd.uniform(-spread, spread))
            secs = 0.5
            byts = int(g * 1e9 / 8 * secs)
            samples.append({"bytes": byts, "wire_bytes": byts, "packets": byts // size,
                            "seconds": secs, "cpu_seconds": 0.5 * threads,
                            "system_cpu": {"user": 0, "system": 0, "softirq": 0},
                            "gbps": byts * 8 / secs / 1e9})
        gs = sorted(s["gbps"] for s in samples)
        med = gs[2]
        pps = med * 1e9 / 8 / size
        results.append({
            "workload": "rr" if is_rr else "cipher", "cipher": cipher, "backend": "openssl",
            "direction": "seal", "size": size, "threads": threads,
            "workers": threads, "cpus": list(range(threads)), "placement": [],
            "repeat": 5, "duration_s": 0.5, "samples": samples,
            "summary": {"gbps": {"median": med, "mean": sum(gs) / 5, "stddev": 0,
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
        if is_rr:
            base = 20000 * (1 + size / 1500)
            results[-1]["latency_ns"] = {"p50": base, "p90": 1.3 * base, "p99": 2 * base,
                                         "p999": 4 * base, "max": 9 * base}
    doc = {"schema": "ncbench.result/1",
           "tool": {"name": "ncbench", "version": "0.1.0", "git": "synthetic"},
           "host": {"hostname": host, "kernel": "6.1", "cpu_model": "Synthetic CPU " + host,
                    "pus": 64},
           "libraries": {"openssl": "3.0", "gcrypt": "1.10", "liburing": "2.3",
                         "hwloc": "2.9", "jansson": "2.14"},
           "started": "2026-11-22T00:00:%02dZ" % (seed % 60), "complete": True,
           "config": {}, "results": results}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)


main()
