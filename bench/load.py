"""A small load client: GET one URL for a bounded time from N threads, keep-alive, and
print one line of JSON: {"requests", "errors", "statuses", "seconds", "rps", "p50_ms", "p95_ms"}.

    python bench/load.py --port 8114 --path /events/ --cookie "sessionid=…" --seconds 5 --threads 2

Run by bench/http.py as a separate process, so the client's own Python does not share a
GIL (or a CPU account) with the figures it reports. Standard library only. It sends
`X-Forwarded-Proto: https`, as the TLS proxy in front of gunicorn does in production.
"""

import argparse
import http.client
import json
import math
import threading
import time


def worker(args, deadline, latencies, statuses, lock):
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    headers = {"Cookie": args.cookie, "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    mine, codes = [], {}
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            connection.request("GET", args.path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            status = 0
        mine.append((time.perf_counter() - started) * 1000)
        codes[status] = codes.get(status, 0) + 1
    with lock:
        latencies.extend(mine)
        for status, n in codes.items():
            statuses[status] = statuses.get(status, 0) + n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    latencies, statuses, lock = [], {}, threading.Lock()
    started = time.perf_counter()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=worker, args=(args, deadline, latencies, statuses, lock)) for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)

    def rank(q):  # nearest rank
        return round(latencies[max(0, math.ceil(q * n) - 1)], 1) if n else None

    errors = sum(count for status, count in statuses.items() if status == 0 or status >= 500)
    print(json.dumps({
        "requests": n, "errors": errors, "statuses": {str(k): v for k, v in statuses.items()},
        "seconds": round(elapsed, 2), "rps": round(n / elapsed, 1), "p50_ms": rank(0.5), "p95_ms": rank(0.95),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
