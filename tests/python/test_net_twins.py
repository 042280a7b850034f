"""Unit tests of the network labs' Python twins, on the parts that do not race: lab 13's
API answers (routes, errors) on one connection, lab 14's count of pending requests, lab
15's URLs and site."""
import http.client
import importlib.util
import pathlib
import threading
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(relpath, name):
    spec = importlib.util.spec_from_file_location(name, ROOT / relpath)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api = load("labs/13-api-server/python/api_server.py", "api_server")
api_fixed = load("solutions/13-api-server/python/lock.py", "api_lock")
loop = load("labs/14-event-loop-blocking-call/python/event_loop.py", "event_loop")
crawl = load("labs/15-link-crawler/python/crawler.py", "crawler")


class ApiTest(unittest.TestCase):
    """One client at a time: the lab and its fix answer alike."""

    def check_api(self, module):
        module.items.clear()
        module.next_id = 1
        server = module.Server(("127.0.0.1", 0), module.Handler)
        threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        try:
            self.assertEqual(module.request(conn, "POST", "/items", {"name": "apple"}),
                             (201, {"id": 1, "name": "apple"}))
            self.assertEqual(module.request(conn, "POST", "/items", {"name": "pear"})[1]["id"],
                             2)
            self.assertEqual(module.request(conn, "GET", "/items/2"),
                             (200, {"id": 2, "name": "pear"}))
            self.assertEqual(module.request(conn, "GET", "/items")[1]["count"], 2)
            self.assertEqual(module.request(conn, "GET", "/stats"),
                             (200, {"items": 2, "next_id": 3}))
            self.assertEqual(module.request(conn, "GET", "/items/9")[0], 404)
            self.assertEqual(module.request(conn, "GET", "/nowhere")[0], 404)
            self.assertEqual(module.request(conn, "POST", "/items", {"title": "x"})[0], 400)
            self.assertEqual(module.request(conn, "POST", "/elsewhere", {"name": "x"})[0], 404)
            self.assertEqual(module.request(conn, "GET", "/stats")[1]["items"], 2)
        finally:
            conn.close()
            server.shutdown()
            server.server_close()

    def test_lab(self):
        self.check_api(api)

    def test_lock(self):
        self.check_api(api_fixed)


class PendingTest(unittest.TestCase):
    def test_pending_during_waits(self):
        waits = [(1.0, 2.0), (5.0, 6.0)]
        requests = [
            (0.5, 0.9),  # answered before the first wait began
            (0.5, 1.5),  # sent before, answered during it
            (1.2, 2.5),  # sent during, answered after
            (2.1, 4.9),  # between the waits
            (4.0, 7.0),  # across the second wait
            (6.0, 6.5),  # sent as the second wait ended
        ]
        self.assertEqual(loop.pending_during_waits(requests, waits), 3)
        self.assertEqual(loop.pending_during_waits(requests, []), 0)

    def test_percentile(self):
        self.assertEqual(loop.percentile_ms([0.001, 0.002, 0.010], 0.5), 2)
        self.assertEqual(loop.percentile_ms([0.001, 0.002, 0.010], 0.99), 10)
        self.assertEqual(loop.percentile_ms([], 0.99), 0)


class CrawlerTest(unittest.TestCase):
    def test_page_of(self):
        self.assertEqual(crawl.page_of("/", 10), 0)
        self.assertEqual(crawl.page_of("/page/7", 10), 7)
        self.assertEqual(crawl.page_of("/page/10", 10), -1)  # out of range
        self.assertEqual(crawl.page_of("/pages/1", 10), -1)
        self.assertEqual(crawl.page_of("/page/-1", 10), -1)
        self.assertEqual(crawl.page_of("http://elsewhere/", 10), -1)
        self.assertEqual([crawl.page_of(crawl.url_of(p), 10) for p in range(10)],
                         list(range(10)))

    def test_every_page_reachable_from_root(self):
        site = crawl.Site(50)
        try:
            seen, todo = {0}, [0]
            while todo:
                html = site.html(todo.pop()).decode()
                for url in crawl.LINK.findall(html):
                    page = crawl.page_of(url, 50)
                    self.assertGreaterEqual(page, 0, url)
                    if page not in seen:
                        seen.add(page)
                        todo.append(page)
            self.assertEqual(seen, set(range(50)))
        finally:
            site.server_close()


if __name__ == "__main__":
    unittest.main()
