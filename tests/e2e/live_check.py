#!/usr/bin/env python3
"""Checks for tests/e2e/live.sh. Prints one line per check, "ok WHAT" or
"FAIL WHAT", for the script to count.

live_check.py follow FIFO DOC INTERRUPT -- COMMAND...
    Starts COMMAND (a run with --json-stream FIFO -o DOC), reads the FIFO
    line by line while the run goes (noting whether DOC exists yet at each
    line; with INTERRUPT=1, sends SIGINT once the first "rep" line is in),
    then checks the lines against DOC.
live_check.py lines STREAM DOC RC
    The same checks on a stream already written (STREAM), from a run that
    exited RC.
live_check.py om TEXT DOC
    (Debian's /usr/bin/python3) parses TEXT with prometheus_client's
    OpenMetrics parser and checks every value against DOC.
"""
import json
import math
import os
import signal
import subprocess
import sys
import threading

checks = []


def check(what, cond):
    checks.append(what)
    print(("ok " if cond else "FAIL ") + what)


def stream_checks(lines, doc, rc, is_interrupted):
    types = [x.get("type") for x in lines]
    check("every line is stream schema ncbench.stream/1",
          all(x.get("schema") == "ncbench.stream/1" for x in lines))
    check("types are start, rep, case, end: %s" % sorted(set(types)),
          set(types) <= {"start", "rep", "case", "end"})
    check("one start line, first", types[:1] == ["start"] and types.count("start") == 1)
    check("one end line, last", types[-1:] == ["end"] and types.count("end") == 1)
    if not lines or types[0] != "start" or types[-1] != "end":
        return
    start, end = lines[0], lines[-1]
    for k in ("host", "libraries", "config", "tool", "started"):
        check("start carries the document's %s" % k, start.get(k) == doc.get(k))
    cases = [x for x in lines if x["type"] == "case"]
    results = [x["result"] for x in cases]
    check("case lines (%d) equal the document's results (%d)"
          % (len(results), len(doc["results"])), results == doc["results"])
    reps = [x for x in lines if x["type"] == "rep"]
    n_samples = sum(len(r["samples"]) for r in doc["results"])
    check("one rep line per sample (%d, %d)" % (len(reps), n_samples),
          len(reps) == n_samples)
    # The rep lines of each case, in order, are its samples' figures.
    ok = True
    for c in cases:
        mine = [(x["sample"]["bytes"], x["sample"]["packets"], x["sample"]["seconds"],
                 x["process"])
                for x in reps if x["case"] == c["case"]]
        theirs = [(s["bytes"], s["packets"], s["seconds"], s["process"])
                  for s in c["result"]["samples"]]
        ok = ok and mine == theirs
        ok = ok and all(x["workload"] == c["result"]["workload"] and
                        x["cipher"] == c["result"]["cipher"] and
                        x["size"] == c["result"]["size"]
                        for x in reps if x["case"] == c["case"])
    check("rep lines hold each case's samples, in order", ok)
    check("each case's rep lines come before its case line",
          all(max((i for i, x in enumerate(lines)
                   if x["type"] == "rep" and x["case"] == c["case"]), default=-1)
              < lines.index(c) for c in cases))
    check("no rep line holds a judgement (disturbed)",
          not any("disturbed" in x["sample"] for x in reps))
    check("end: complete %s as the document (%s)" % (end.get("complete"), doc["complete"]),
          end.get("complete") == doc["complete"])
    check("end: interrupted is %s" % is_interrupted, end.get("interrupted") == is_interrupted)
    check("end: results %s == %d" % (end.get("results"), len(doc["results"])),
          end.get("results") == len(doc["results"]))
    check("end: repetitions %s == %d" % (end.get("repetitions"), n_samples),
          end.get("repetitions") == n_samples)
    check("end: status %s == exit status %d" % (end.get("status"), rc), end.get("status") == rc)
    check("end: cases %s == start's %s" % (end.get("cases"), start.get("cases")),
          end.get("cases") == start.get("cases"))
    if is_interrupted:
        check("end: done < cases", end["done"] < end["cases"])
    else:
        check("end: done == cases == results", end["done"] == end["cases"] == len(results))
    text = json.dumps(lines)
    check("no key material words in the stream", "keymat" not in text and '"key"' not in text)


def follow(fifo, doc_path, is_interrupt, cmd):
    err = open(doc_path + ".err", "w")
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

    # A run that ends without opening the FIFO (refused) must not leave
    # the reader waiting for a writer: open it once the run is gone.
    def unblock():
        p.wait()
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    threading.Thread(target=unblock, daemon=True).start()
    lines, doc_there, raw_ok = [], [], True
    sent = False
    with open(fifo, "r") as f:
        for raw in f:
            try:
                x = json.loads(raw)
            except ValueError:
                raw_ok = False
                continue
            lines.append(x)
            doc_there.append(os.path.exists(doc_path))
            if is_interrupt and not sent and x.get("type") == "rep":
                p.send_signal(signal.SIGINT)
                sent = True
    rc = p.wait(timeout=60)
    check("every line is one JSON object", raw_ok and all(isinstance(x, dict) for x in lines))
    check("run exits %d (got %d)" % (130 if is_interrupt else 0, rc),
          rc == (130 if is_interrupt else 0))
    doc = json.load(open(doc_path))
    # Live: lines arrived while the run went, before its document.
    first_case = next((i for i, x in enumerate(lines) if x["type"] == "case"), None)
    check("a case line was read before the document existed",
          first_case is not None and not doc_there[first_case])
    stream_checks(lines, doc, rc, is_interrupt)


def lines_mode(path, doc_path, rc):
    lines = []
    raw_ok = True
    for raw in open(path):
        try:
            lines.append(json.loads(raw))
        except ValueError:
            raw_ok = False
    check("every line of %s is JSON" % os.path.basename(path), raw_ok and lines)
    stream_checks(lines, json.load(open(doc_path)), rc, False)


def options_text(opts):
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    return " ".join("%s=%s" % (k, val(opts[k])) for k in sorted(opts))


def om_mode(text_path, doc_path):
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    text = open(text_path).read()
    doc = json.load(open(doc_path))
    try:
        fams = {f.name: f for f in text_string_to_metric_families(text)}
    except ValueError as e:
        check("the strict OpenMetrics parser takes it (%s)" % e, False)
        return
    check("the strict OpenMetrics parser takes it", True)
    check("ends with # EOF", text.endswith("# EOF\n"))
    host = doc["host"]["hostname"]

    def find(labels):
        for r in doc["results"]:
            size_ok = (labels["imix"] == r.get("imix", "") and
                       labels["size"] == str(r["size"]))
            peer = r.get("peer")
            peer_text = "%s/%s" % (peer["address"], peer["mode"]) if peer else ""
            if (labels["workload"] == r["workload"] and labels["cipher"] == r["cipher"]
                    and labels["backend"] == r["backend"]
                    and labels["direction"] == r["direction"] and size_ok
                    and labels["threads"] == str(r["threads"])
                    and labels["transport"] == (r.get("transport") or "")
                    and labels["io"] == (r.get("io") or "")
                    and labels["framing"] == (r.get("framing") or "")
                    and labels["options"] == options_text(r.get("options", {}))
                    and labels["peer"] == peer_text and labels["host"] == host):
                return r
        return None

    lat_keys = {"0.5": "p50", "0.9": "p90", "0.99": "p99", "0.999": "p999", "1.0": "max"}
    expect = {
        "ncbench_throughput_gbps": lambda r, l: r["summary"]["gbps"]["median"],
        "ncbench_throughput_ci95_low_gbps": lambda r, l: r["summary"]["gbps"]["ci95"][0],
        "ncbench_throughput_ci95_high_gbps": lambda r, l: r["summary"]["gbps"]["ci95"][1],
        "ncbench_pps": lambda r, l: r["summary"]["pps"]["median"],
        "ncbench_cycles_per_byte": lambda r, l: r["summary"]["cycles_per_byte"],
        "ncbench_us_per_packet": lambda r, l: r["summary"]["service_demand"]["us_per_packet"],
        "ncbench_cpu_util": lambda r, l: r["summary"]["cpu_util"],
        "ncbench_gbps_per_core": lambda r, l: r["summary"].get("gbps_per_core"),
        "ncbench_crypto_share": lambda r, l: r["summary"].get("phases", {}).get("crypto_share"),
        "ncbench_latency_seconds": lambda r, l: r["latency_ns"][lat_keys[l["quantile"]]] / 1e9,
        "ncbench_errors": lambda r, l: r["errors"].get(l["kind"], 0),
        "ncbench_repetitions": lambda r, l: len(r["samples"]),
        "ncbench_peer_cycles_per_byte": lambda r, l: r["summary"]["peer"]["cycles_per_byte"],
        "ncbench_peer_us_per_packet": lambda r, l: r["summary"]["peer"]["us_per_packet"],
        "ncbench_peer_cpu_util": lambda r, l: r["summary"]["peer"]["cpu_util"],
        "ncbench_peer_gbps_per_core": lambda r, l: r["summary"]["peer"]["gbps_per_core"],
    }
    check("families are those expected: %s" % sorted(set(fams) - set(expect) - {"ncbench_run_info"}),
          set(fams) - {"ncbench_run_info"} <= set(expect))
    bad, n = [], 0
    seen = {}
    for name, f in fams.items():
        if name == "ncbench_run_info":
            continue
        for s in f.samples:
            r = find(s.labels)
            if r is None:
                bad.append("%s: no result for %s" % (name, s.labels))
                continue
            want = expect[name](r, s.labels)
            n += 1
            seen.setdefault(name, set()).add(id(r))
            # Latency is converted (ns to s); every other value is the
            # document's number exactly.
            same = (math.isclose(s.value, want, rel_tol=1e-12) if name == "ncbench_latency_seconds"
                    else s.value == want)
            if not same:
                bad.append("%s%s: %r, document %r" % (name, s.labels, s.value, want))
    check("every value equals the document's (%d samples): %s" % (n, bad[:3]), not bad and n > 0)
    every = ["ncbench_throughput_gbps", "ncbench_pps", "ncbench_cycles_per_byte",
             "ncbench_us_per_packet", "ncbench_cpu_util", "ncbench_repetitions"]
    check("every result has a sample in each always-present family",
          all(len(seen.get(m, ())) == len(doc["results"]) for m in every))
    rr = [r for r in doc["results"] if "latency_ns" in r]
    check("latency summary has five quantiles per rr result (%d)" % len(rr),
          len(fams["ncbench_latency_seconds"].samples) == 5 * len(rr) if rr
          else "ncbench_latency_seconds" not in fams)
    peers = [r for r in doc["results"] if "peer" in r]
    check("peer families only for two-host results (%d)" % len(peers),
          (len(fams["ncbench_peer_cycles_per_byte"].samples) == len(peers)) if peers
          else "ncbench_peer_cycles_per_byte" not in fams)
    run = fams.get("ncbench_run_info")
    check("run info: host and complete as the document's",
          run is not None and run.samples[0].labels["host"] == host and
          run.samples[0].labels["complete"] == ("true" if doc["complete"] else "false"))


def main():
    mode = sys.argv[1]
    if mode == "follow":
        i = sys.argv.index("--")
        follow(sys.argv[2], sys.argv[3], sys.argv[4] == "1", sys.argv[i + 1:])
    elif mode == "lines":
        lines_mode(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif mode == "om":
        om_mode(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
