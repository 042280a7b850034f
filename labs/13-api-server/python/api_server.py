"""api_server.py: Lab 13's Python twin, a ThreadingHTTPServer JSON store that loses items.

A small JSON API on http.server.ThreadingHTTPServer (a thread per connection, as in the C
lab), on 127.0.0.1, keeps items in memory:
  POST /items   body {"name": "..."}  -> 201 {"id": N, "name": "..."}
  GET  /items                         -> 200 {"count": N, "items": [...]}
  GET  /items/ID                      -> 200 the item, or 404
  GET  /stats                         -> 200 {"items": N, "next_id": M}
store_add() reads next_id, writes a journal line, then stores the item under that id and
writes next_id + 1 back. The GIL runs one thread's bytecode at a time, but it is let go
while the journal's write waits (--journal-us, standing for the disk): another POST runs
there, reads the same next_id, and both are answered 201 with one id; the second item
overwrites the first.

The load client (threads of this process, http.client on keep-alive connections) POSTs
--posts items on each of --clients connections, reads each back --reads times, then
checks what a client of this API may expect: every id given once, every item read back as
written, GET /items listing them all.

Expect: items missing and ids given twice, a different number each run. `--serve PORT`
keeps the server up for curl instead. Run it with `racelab run lab13 --python`; the fixed
version is solutions/13-api-server/python/lock.py.
"""
import http.client
import http.server
import json
import os
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

SUMMARY = "Lab 13 (Python): a threaded JSON API server under concurrent POSTs."

items = {}  # id -> {"id": id, "name": name}; shared by every connection's thread,
next_id = 1  # and so is this: guarded by nothing
journal_fd = os.open(os.devnull, os.O_WRONLY)  # where a real server logs each change


def journal(line, wait_us):
    """Writes a journal line and waits wait_us, as a write that waits for the disk would.
    The GIL is let go in both: other threads run meanwhile."""
    os.write(journal_fd, line.encode() + b"\n")
    time.sleep(wait_us / 1e6)


def store_add(name, journal_us):
    global next_id
    item_id = next_id  # RACE: read the next id...
    journal(f"add {item_id} {name}", journal_us)  # ...another POST runs here, same id...
    items[item_id] = {"id": item_id, "name": name}  # RACE: ...and one item overwrites
    next_id = item_id + 1  # the other's; next_id moves on by one for two POSTs
    return item_id


def store_get(item_id):
    return items.get(item_id)


def store_list():
    return list(items.values())


def store_stats():
    return {"items": len(items), "next_id": next_id}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a client's requests share one connection
    disable_nagle_algorithm = True  # the head and the body go out in two writes

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        text = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            name = json.loads(text)["name"]
        except (ValueError, KeyError, TypeError):
            return self.answer(400, {"error": 'expected {"name": "..."}'})
        if self.path != "/items":
            return self.answer(404, {"error": "no such route"})
        self.answer(201, {"id": store_add(name, self.server.journal_us), "name": name})

    def do_GET(self):
        if self.path == "/items":
            found = store_list()
            return self.answer(200, {"count": len(found), "items": found})
        if self.path == "/stats":
            return self.answer(200, store_stats())
        head, _, tail = self.path.rpartition("/")
        item = store_get(int(tail)) if head == "/items" and tail.isdigit() else None
        if item is None:
            return self.answer(404, {"error": "no such item"})
        self.answer(200, item)

    def log_message(self, *args):
        pass  # quiet: a run makes a thousand requests


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # every client connects at once
    journal_us = 0  # how long a journal write waits (the --journal-us knob)


def request(conn, method, path, body=None):
    """One request on a keep-alive connection: (status, the JSON answer)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read())


class Load:
    """The load client's findings; each client thread appends to the lists (one bytecode
    each: list.append is safe without a lock)."""

    def __init__(self):
        self.ids, self.posts_ok, self.wrong_reads, self.requests = [], [], [], []

    def client(self, port, who, posts, reads, gate):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        gate.wait()  # every client starts together, so their POSTs overlap
        for i in range(posts):
            name = f"client{who}-item{i}"
            status, item = request(conn, "POST", "/items", {"name": name})
            self.requests.append(1)
            if status != 201:
                continue
            self.posts_ok.append(1)
            self.ids.append(item["id"])
            for _ in range(reads):
                status, got = request(conn, "GET", f"/items/{item['id']}")
                self.requests.append(1)
                if status != 200 or got.get("name") != name:
                    self.wrong_reads.append((item["id"], name, got))
        conn.close()


def serve_forever(port, journal_us):
    with Server(("127.0.0.1", port), Handler) as server:
        server.journal_us = journal_us
        port = server.server_address[1]
        print(f"lab13: serving http://127.0.0.1:{port}/ (try: curl -v "
              f"http://127.0.0.1:{port}/items); Ctrl-C stops", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("lab13: stopped")


def main():
    k = kit.knobs(SUMMARY, [
        kit.Knob("clients", 8, "connections of the load client, one thread each", 1, 256),
        kit.Knob("posts", 20, "items each connection POSTs", 1, 1000),
        kit.Knob("reads", 2, "GET /items/ID of each new item, per POST", 0, 100),
        kit.Knob("journal-us", 200, "how long a journal write waits, microseconds", 0, 10**6),
        kit.Knob("serve", -1, "serve on this port until Ctrl-C (0: any free one)", -1, 65535),
    ])
    if k.serve >= 0:
        return serve_forever(k.serve, k.journal_us)
    server = Server(("127.0.0.1", 0), Handler)
    server.journal_us = k.journal_us
    port = server.server_address[1]
    # serve_forever looks for shutdown() every poll_interval: short, so that a run ends at once
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    load, gate = Load(), kit.Gate(k.clients)
    clients = [threading.Thread(target=load.client, args=(port, c, k.posts, k.reads, gate))
               for c in range(k.clients)]
    start = kit.clock_ns()
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = kit.clock_ns() - start
    conn = http.client.HTTPConnection("127.0.0.1", port)
    status_items, listed = request(conn, "GET", "/items")
    status_stats, stats = request(conn, "GET", "/stats")
    conn.close()
    server.shutdown()
    server.server_close()

    expected = k.clients * k.posts
    repeats = len(load.ids) - len(set(load.ids))
    symptom = (listed["count"] != expected or stats["items"] != expected or repeats > 0
               or len(load.posts_ok) != expected or load.wrong_reads
               or stats["next_id"] != expected + 1 or status_items != 200
               or status_stats != 200)
    kit.report("items in the store", listed["count"], expected, symptom,
               ops=len(load.requests), work_ns=elapsed, metrics={
                   "posts_answered_201": len(load.posts_ok), "ids_given_twice": repeats,
                   "wrong_reads": len(load.wrong_reads), "next_id": stats["next_id"],
                   "requests_per_s": len(load.requests) / (elapsed / 1e9)})


if __name__ == "__main__":
    main()
