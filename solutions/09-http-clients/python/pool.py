"""pool.py: Lab 9's Python twin, fixed by sharing nothing: a pool returns each count.

A ThreadPoolExecutor runs one fetch per request; each fetch counts into totals of its
own and returns them, and the main thread adds the results up. No thread writes what
another reads, so there is nothing to lock.
"""
import asyncio
import concurrent.futures
import http.client
import http.server
import multiprocessing
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

LINE = 64  # the server's lines are this long, newline included
CHUNK = 512  # read at most this much at a time, as a client streaming a download


def serve(port_pipe, delay_ms):
    """The lab's server: GET /bytes/N answers N bytes of whole lines after delay_ms."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            size = int(self.path.rsplit("/", 1)[1])
            time.sleep(delay_ms / 1000)
            body = (b"x" * (LINE - 1) + b"\n") * (size // LINE)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 256  # every client connects at once

    with Server(("127.0.0.1", 0), Handler) as server:
        port_pipe.send(server.server_address[1])
        server.serve_forever()


def new_totals():
    return {"bytes": 0, "lines": 0, "responses": 0}


def add_to_totals(t, chunk, responses):
    """Adds a received chunk and `responses` finished responses to the totals t."""
    now = dict(t)  # RACE: copy the totals, ...
    now["bytes"] += len(chunk)
    for byte in chunk:  # a thread switch can fall at this loop's every turn
        if byte == 10:
            now["lines"] += 1
    now["responses"] += responses
    t.update(now)  # RACE: ...write the copy back, over what other threads added meanwhile


def fetch(port, size, t):
    """GETs /bytes/size, adding the body to t as it arrives."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", f"/bytes/{size}")
    response = conn.getresponse()  # the wait: delay_ms, the GIL let go
    while chunk := response.read(CHUNK):
        add_to_totals(t, chunk, 0)
    add_to_totals(t, b"", 1)
    conn.close()


async def fetch_async(port, size, t):
    """The same with asyncio streams: HTTP/1.0, the body runs to the end of the stream."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /bytes/{size} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await reader.readuntil(b"\r\n\r\n")  # the wait: other tasks run
    while chunk := await reader.read(CHUNK):
        add_to_totals(t, chunk, 0)  # no await inside: no other task runs meanwhile
    add_to_totals(t, b"", 1)
    writer.close()
    await writer.wait_closed()


async def fetch_all_async(port, sizes, t):
    await asyncio.gather(*(fetch_async(port, size, t) for size in sizes))


def timed(run):
    start = kit.clock_ns()
    run()
    return kit.clock_ns() - start


def fetch_with_threads(port, sizes, t):
    def own_fetch(size):
        mine = new_totals()  # FIXED: this request's own totals, shared with no thread
        fetch(port, size, mine)
        return mine

    with concurrent.futures.ThreadPoolExecutor(len(sizes)) as pool:
        for mine in pool.map(own_fetch, sizes):
            for key in t:  # only the main thread adds them up
                t[key] += mine[key]


def main():
    k = kit.knobs("Lab 9 (Python), fixed: a thread pool returns each request's count.", [
        kit.Knob("requests", 32, "URLs to fetch", 1, 256),
        kit.Knob("delay-ms", 5, "server's delay per request, ms", 0, 1000),
        kit.Knob("switch-us", 5000, "sys.setswitchinterval in microseconds", 1, 1000000),
    ])
    sys.setswitchinterval(k.switch_us / 1e6)
    ctx = multiprocessing.get_context("fork")
    ours, theirs = ctx.Pipe()
    server = ctx.Process(target=serve, args=(theirs, k.delay_ms), daemon=True)
    server.start()
    port = ours.recv()
    sizes = [LINE * (256 + i * 97 % 768) for i in range(k.requests)]  # 16 to 64 KiB
    expected = sum(sizes)

    sequential, threaded, tasks = new_totals(), new_totals(), new_totals()
    sequential_ns = timed(lambda: [fetch(port, size, sequential) for size in sizes])
    threaded_ns = timed(lambda: fetch_with_threads(port, sizes, threaded))
    asyncio_ns = timed(lambda: asyncio.run(fetch_all_async(port, sizes, tasks)))
    server.terminate()
    server.join()

    right = {"bytes": expected, "lines": expected // LINE, "responses": k.requests}
    kit.report("bytes counted by the threads", threaded["bytes"], expected, threaded != right,
               ops=k.requests, work_ns=threaded_ns, metrics={
                   "sequential_ms": sequential_ns / 1e6, "threaded_ms": threaded_ns / 1e6,
                   "asyncio_ms": asyncio_ns / 1e6,
                   "threads_speedup": sequential_ns / threaded_ns,
                   "asyncio_speedup": sequential_ns / asyncio_ns,
                   "sequential_bytes": sequential["bytes"],
                   "asyncio_bytes": tasks["bytes"],
                   "lines_counted": threaded["lines"], "lines_expected": expected // LINE})


if __name__ == "__main__":
    main()
