"""Serve the tests' built site from a process of its own, so that every pytest worker
(pytest-xdist runs two) uses one build at one address (see ``site_dir`` in conftest.py).

Usage: ``python tests/site_server.py DIRECTORY PORT_FILE WATCHED_PID``: serves DIRECTORY
on a free port of 127.0.0.1, writes the port to PORT_FILE, and exits once the process
WATCHED_PID (the test run) is gone.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(directory: str, port_file: str, watched: str) -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Path(port_file).write_text(str(server.server_address[1]), encoding="utf-8")
    while _alive(int(watched)):
        time.sleep(0.5)
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
