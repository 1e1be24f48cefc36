"""The live views' code travels once per page, not with every redraw."""

import re
import urllib.request

from tests.browser_support import start_server
from ui import live_view


def test_each_mount_sends_a_small_loader_that_names_the_views_code_with_its_version():
    loader = live_view._LOADER.replace("{address}", live_view._view_address())
    assert len(loader.encode()) < 1_000 < live_view.VIEW_CODE.stat().st_size
    address = re.search(r'new URL\("([^"]+)"', loader)[1]
    assert address.startswith("/app/static/live_view.js?v=")


def test_the_server_serves_the_views_code_as_javascript():
    server = start_server()
    try:
        with urllib.request.urlopen(server.url + live_view._view_address(), timeout=30) as reply:
            assert reply.headers.get_content_type() in ("text/javascript", "application/javascript")
            assert reply.read() == live_view.VIEW_CODE.read_bytes()
    finally:
        server.stop()
