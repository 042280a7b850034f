"""lock.py: Lab 15's Python twin, fixed with a threading.Lock over the pages seen.

follow() holds seen_lock from its check "seen?" to marking the page, the robots.txt wait
included: a second thread with the same link waits for the lock, then finds it seen. The
queue needs no lock of ours (queue.Queue has its own). A thread waits for robots.txt under
the lock, so the others wait too: a real crawler would cache the answer per site.
"""
import http.client
import http.server
import pathlib
import queue
import re
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "labkit" / "python"))
import racelab_kit as kit  # noqa: E402

SUMMARY = "Lab 15 (Python), fixed: the set of pages seen under a threading.Lock."
LINK = re.compile(r'href="([^"]*)"')


def url_of(page):
    return "/" if page == 0 else f"/page/{page}"


def page_of(url, pages):
    """The page number of a URL of the site, or -1."""
    if url == "/":
        return 0
    head, _, tail = url.rpartition("/")
    return int(tail) if head == "/page" and tail.isdigit() and int(tail) < pages else -1


class Site(http.server.ThreadingHTTPServer):
    """The site: page n links to n + 1 (so every page is reachable from "/") and to four
    others, back to lower pages and to "/". Correct: its counts are under a lock."""
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, pages):
        super().__init__(("127.0.0.1", 0), SiteHandler)
        self.pages = pages
        self.lock = threading.Lock()
        self.fetches = [0] * pages  # GETs of each page answered; guarded by self.lock

    def html(self, n):
        links = [(n + 1) % self.pages, (n * 7 + 3) % self.pages, (n * 13 + 5) % self.pages,
                 n // 2, 0]
        items = "".join(f'<li><a href="{url_of(p)}">page {p}</a></li>\n' for p in links)
        return f"<html><title>page {n}</title><ul>\n{items}</ul></html>\n".encode()


class SiteHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a crawler thread keeps one connection
    disable_nagle_algorithm = True

    def do_GET(self):
        n = page_of(self.path, self.server.pages)
        if n < 0:
            self.send_error(404)
            return
        with self.server.lock:
            self.server.fetches[n] += 1
        body = self.server.html(n)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Crawler:
    def __init__(self, pages, check_us):
        self.pages, self.check_us = pages, check_us
        self.todo = queue.Queue()  # URLs to fetch: a queue.Queue is thread-safe
        self.seen = {"/"}  # URLs queued once already: guarded by seen_lock
        self.seen_lock = threading.Lock()
        self.pages_fetched = 0  # shared, guarded by nothing

    def allowed(self, url):
        """Asks whether the crawler may fetch url (robots.txt): a wait, during which the
        GIL is let go."""
        time.sleep(self.check_us / 1e6)
        return True

    def follow(self, url):
        """Queues url unless it was seen before."""
        if page_of(url, self.pages) < 0:
            return  # not a page of this site
        with self.seen_lock:  # FIXED: the check and the act are one step for other threads
            if url in self.seen or not self.allowed(url):
                return
            self.seen.add(url)
        self.todo.put(url)

    def work(self, port):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while (url := self.todo.get()) is not None:
            conn.request("GET", url)
            html = conn.getresponse().read().decode()  # a new HTTP request
            with self.seen_lock:  # FIXED too: 3.11 would lose none, a free-threaded build may
                self.pages_fetched += 1
            for link in LINK.findall(html):
                self.follow(link)
            self.todo.task_done()
        conn.close()


def main():
    k = kit.knobs(SUMMARY, [
        kit.threads_knob(4),
        kit.Knob("pages", 200, "pages of the site", 2, 4096),
        kit.Knob("check-us", 500, "how long asking robots.txt waits, microseconds", 0, 10**6),
    ])
    site = Site(k.pages)
    threading.Thread(target=site.serve_forever, args=(0.01,), daemon=True).start()
    crawler = Crawler(k.pages, k.check_us)
    crawler.todo.put("/")
    pool = [threading.Thread(target=crawler.work, args=(site.server_address[1],))
            for _ in range(k.threads)]
    start = kit.clock_ns()
    for t in pool:
        t.start()
    crawler.todo.join()  # every queued URL fetched, and its links followed
    for _ in pool:
        crawler.todo.put(None)  # the crawl is over: one stop for each thread
    for t in pool:
        t.join()
    elapsed = kit.clock_ns() - start
    site.shutdown()
    site.server_close()

    fetches = sum(site.fetches)
    distinct = sum(1 for f in site.fetches if f > 0)
    twice = sum(1 for f in site.fetches if f > 1)
    kit.report("fetches the site answered", fetches, k.pages,
               fetches != k.pages or distinct != k.pages or crawler.pages_fetched != k.pages,
               ops=fetches, work_ns=elapsed, metrics={
                   "pages_fetched_twice_or_more": twice, "distinct_pages": distinct,
                   "pages_counted": crawler.pages_fetched, "crawl_ms": elapsed / 1e6})


if __name__ == "__main__":
    main()
