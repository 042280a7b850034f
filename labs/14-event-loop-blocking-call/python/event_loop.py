"""event_loop.py: Lab 14's Python twin, one blocking call in an asyncio server.

A real asyncio server (asyncio.start_server) on 127.0.0.1, one thread, one loop, many
connections; the protocol is the C lab's sliver of HTTP/1.1 ("GET /fast" and "GET /slow",
each answered "200 ok"). /slow needs slow_operation(), a wait of --slow-ms standing for a
slow disk or requests.get(), and the handler calls it right there, inside the coroutine:
time.sleep() blocks the thread, and the loop runs on that thread. Until it returns, no
other connection is read and no other client is answered: asyncio switches tasks only at
an await, and there is none inside the wait.

Clients (threads of this process, blocking sockets) send /fast every --period-us and time
each answer; another sends rounds of --slow-batch /slow requests at once. The server counts
which fast clients it answered while a /slow request was waiting. That count does not
depend on how fast the machine is: while the loop's thread sleeps, it answers nobody.

Expect: no fast client served during any slow wait (observed 0, expected --fast-clients),
every run; a round of /slow requests takes as long as doing them one after another. Run
it with `racelab run lab14 --python`; the fixed versions are in
solutions/14-event-loop-blocking-call/python/.
"""
import asyncio
import contextlib
import pathlib
import socket
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

SUMMARY = "Lab 14 (Python): an asyncio server whose /slow handler blocks the loop."
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"


class Server:
    """What the handlers share. Only the loop's thread writes it."""

    def __init__(self):
        self.slow_waiting = 0  # /slow requests whose wait has begun and not ended
        self.served_while_waiting = set()  # fast clients answered while one was waiting
        self.waits = []  # (began, ended) of each slow wait, time.monotonic()

    @contextlib.contextmanager
    def waiting(self):
        """Counts a slow wait, for the report: not part of the lesson."""
        began = time.monotonic()
        self.slow_waiting += 1
        try:
            yield
        finally:
            self.slow_waiting -= 1
            self.waits.append((began, time.monotonic()))


def slow_operation(slow_ms):
    """The slow operation: blocks the calling thread, as a synchronous disk read or
    requests.get() would."""
    time.sleep(slow_ms / 1000)


async def handle_slow(server, slow_ms):
    with server.waiting():
        slow_operation(slow_ms)  # BUG: blocks the loop's thread: nobody else is served


async def serve_connection(server, slow_ms, reader, writer):
    """One connection: its requests in order. A fast client says who it is in its path."""
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            path = request.split(b" ", 2)[1]
            if path == b"/slow":
                await handle_slow(server, slow_ms)
            elif server.slow_waiting:
                server.served_while_waiting.add(path)
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, IndexError):
        pass  # the client is done, or gone, or sent nonsense
    finally:
        writer.close()


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_answer(sock):
    """Reads one whole answer."""
    got = b""
    while len(got) < len(ANSWER):
        part = sock.recv(len(ANSWER) - len(got))
        if not part:
            raise ConnectionError("the server closed the connection")
        got += part


class Clients:
    """The measuring clients, threads with blocking sockets: their waits release the GIL,
    so they send on time even while the loop's thread is stuck."""

    def __init__(self, k, port):
        self.k, self.port = k, port
        self.requests = []  # (sent, answered) of each /fast, time.monotonic()
        self.slow_done = threading.Event()
        self.latencies = []  # seconds from when a /fast was due to its answer
        self.rounds = []  # seconds per round of /slow requests
        self.start = time.monotonic() + 0.005  # time for every thread to start

    def fast(self, who):
        sock, period = connect(self.port), self.k.period_us / 1e6
        path = b"/fast?client=%d" % who
        i = 0
        while not self.slow_done.is_set():
            due = self.start + i * period
            if due > time.monotonic():
                time.sleep(max(0.0, due - time.monotonic()))  # now may pass due meanwhile
            sent = time.monotonic()
            sock.sendall(b"GET " + path + b" HTTP/1.1\r\n\r\n")
            read_answer(sock)
            answered = time.monotonic()
            self.requests.append((sent, answered))  # list.append: one bytecode
            self.latencies.append(answered - due)
            i += 1
        sock.close()

    def slow(self):
        socks = [connect(self.port) for _ in range(self.k.slow_batch)]
        time.sleep(max(0.0, self.start + self.k.gap_ms / 1000 - time.monotonic()))
        for _ in range(self.k.slow_rounds):
            t0 = time.monotonic()
            for s in socks:  # the whole batch sent at once, like asyncio.gather
                s.sendall(b"GET /slow HTTP/1.1\r\n\r\n")
            for s in socks:
                read_answer(s)
            self.rounds.append(time.monotonic() - t0)
            time.sleep(self.k.gap_ms / 1000)
        for s in socks:
            s.close()
        self.slow_done.set()


async def run(k, server):
    listener = await asyncio.start_server(
        lambda r, w: serve_connection(server, k.slow_ms, r, w), "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    clients = Clients(k, port)
    threads = [threading.Thread(target=clients.fast, args=(i,)) for i in range(k.fast_clients)]
    threads.append(threading.Thread(target=clients.slow))
    for t in threads:
        t.start()
    # The loop waits for the clients without blocking: each join runs on a worker thread.
    for t in threads:
        await asyncio.to_thread(t.join)
    listener.close()
    await listener.wait_closed()
    return clients


def pending_during_waits(requests, waits):
    """How many /fast requests were sent before some slow wait ended and answered after
    it began: requests a loop that never blocks could have answered during a wait."""
    return sum(1 for sent, answered in requests
               if any(sent < ended and answered > began for began, ended in waits))


def percentile_ms(sorted_s, q):
    return sorted_s[max(0, int(q * len(sorted_s) + 0.999999) - 1)] * 1000 if sorted_s else 0


def main():
    k = kit.knobs(SUMMARY, [
        kit.Knob("fast-clients", 3, "connections that send /fast every period", 1, 32),
        kit.Knob("period-us", 5000, "how often each fast client sends, microseconds", 100,
                 10**6),
        kit.Knob("slow-batch", 2, "/slow requests sent at once in a round", 1, 16),
        kit.Knob("slow-rounds", 3, "rounds of /slow requests", 1, 64),
        kit.Knob("slow-ms", 50, "how long the slow operation takes, milliseconds", 1, 10**4),
        kit.Knob("gap-ms", 5, "pause before and between rounds, milliseconds", 0, 10**4),
    ])
    server = Server()
    start = kit.clock_ns()
    clients = asyncio.run(run(k, server))
    elapsed = kit.clock_ns() - start
    lat = sorted(clients.latencies)
    served = len(server.served_while_waiting)
    # No /fast request pending while a /slow one waited (the clients never got the CPU):
    # nothing to judge, in the lab or in a fix.
    pending = pending_during_waits(clients.requests, server.waits)
    one_by_one_ms = k.slow_batch * k.slow_ms
    worst_round_ms = max(clients.rounds) * 1000
    metrics = {"requests": len(lat), "pending_during_waits": pending,
               "p50_ms": percentile_ms(lat, 0.50), "p99_ms": percentile_ms(lat, 0.99),
               "max_ms": lat[-1] * 1000 if lat else 0, "round_ms": worst_round_ms,
               "one_by_one_ms": one_by_one_ms, "gather_speedup": one_by_one_ms / worst_round_ms}
    kit.report("fast clients served while /slow waited", served, k.fast_clients, served == 0,
               inconclusive=pending == 0, ops=len(lat), work_ns=elapsed, metrics=metrics)


if __name__ == "__main__":
    main()
