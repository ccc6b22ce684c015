#!/usr/bin/env python3
"""A static file server for the playground, bound to 127.0.0.1 only.

Serves the repository root with correct MIME types for .js/.mjs/.wasm, no caching (so a rebuild
shows at once) and the page's Content-Security-Policy as a header too (a worker gets its policy
from its own response headers, not from the page's meta tag).

usage: serve.py [--port N] [--root DIR] [--base /sub/path/] [--no-isolation]   (--port 0: a free port)
The page is served cross-origin isolated (COOP/COEP headers), so the engine can train on every
core; --no-isolation serves it as a plain static host would (one thread).
With --base, the root is served under that path only (as a static host puts a site under a
sub-path) and everything else is 404.
Prints "Serving on http://127.0.0.1:PORT/" once it listens.
"""

import argparse
import functools
import http.server
import sys

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".tsv": "text/tab-separated-values; charset=utf-8",
        ".csv": "text/csv; charset=utf-8",
    }

    base = "/"

    def translate_path(self, path):
        if not path.startswith(self.base):
            return "/nonexistent/outside-the-base-path"
        return super().translate_path("/" + path[len(self.base):])

    isolated = True

    def end_headers(self):
        if self.isolated:
            # Cross-origin isolation: SharedArrayBuffer, so the engine trains on every core.
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, fmt, *args):
        if "--quiet" not in sys.argv:
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--root", default=".")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--base", default="/")
    ap.add_argument("--no-isolation", action="store_true",
                    help="leave out the COOP/COEP headers, as a plain static host does (one thread)")
    args = ap.parse_args()
    base = "/" + args.base.strip("/") + "/" if args.base.strip("/") else "/"
    handler = functools.partial(
        type("Based", (Handler,), {"base": base, "isolated": not args.no_isolation}), directory=args.root
    )
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        print(f"Serving on http://127.0.0.1:{httpd.server_address[1]}{base}", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
