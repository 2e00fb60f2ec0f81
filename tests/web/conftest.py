"""A served workspace for the page tests: in-process (TestClient) and over a real socket
(uvicorn in a thread) for Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi.testclient import TestClient

from sanctrace.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="session")
def served_ws_path(bundled_ws_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled workspace for the served app (pages only read it)."""
    path = tmp_path_factory.mktemp("served") / "sanctrace.duckdb"
    shutil.copy(bundled_ws_path, path)
    return path


@pytest.fixture(scope="session")
def web_client(served_ws_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(served_ws_path)) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(served_ws_path: Path) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by uvicorn in a thread; yields its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(served_ws_path), log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Requests:
    """Every request a page makes; those that would leave 127.0.0.1 are aborted."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.blocked: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        self.urls.append(url)
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def requests_seen() -> Requests:
    return Requests()


@pytest.fixture
def page(browser: Any, live_server: str, requests_seen: Requests) -> Iterator[Any]:
    """A fresh browser page; after the test, no request may have left 127.0.0.1."""
    context = browser.new_context(base_url=live_server, service_workers="block")
    context.route("**/*", requests_seen.route)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert not requests_seen.blocked, f"requests left 127.0.0.1: {requests_seen.blocked}"
    assert not errors, f"JavaScript errors: {errors}"
