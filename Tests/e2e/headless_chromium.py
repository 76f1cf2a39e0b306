"""Debian's Chromium, headless, driven over the DevTools protocol on a pipe (--remote-debugging-pipe):
open a page, collect every console error, uncaught exception and failed load, and read what rendered.

The pipe needs no port and no extra package, and its end of file says at once that Chromium died.
Every wait is for a message from Chromium, bounded by a deadline."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

FLAGS = ("--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--mute-audio", "--hide-scrollbars", "--window-size=1280,900")

# Evaluated in the page once it has loaded: waits for every image to decode, then reports images and tables.
PROBE = r"""(async () => {
  const images = [...document.images];
  const decoded = await Promise.all(images.map(image => image.decode().then(() => true, () => false)));
  return {
    title: document.title,
    text: document.body.innerText,
    images: images.map((image, index) => ({
      alt: image.alt, decoded: decoded[index], naturalWidth: image.naturalWidth,
      naturalHeight: image.naturalHeight, shownWidth: image.getBoundingClientRect().width})),
    tables: [...document.querySelectorAll("table")].map(table => ({
      id: table.id, rows: table.tBodies.length ? table.tBodies[0].rows.length : 0,
      header: [...table.querySelectorAll("thead th")].map(cell => cell.textContent)})),
  };
})()"""


class ChromiumError(Exception):
    """Chromium did not start, answered with an error, exited, or did not answer in time."""


@dataclass(frozen=True)
class RenderedPage:
    """What a page did in the browser: the errors it logged and what PROBE read from it, plus a screenshot."""

    url: str
    errors: list[str]
    title: str
    text: str
    images: list[dict]
    tables: list[dict]
    screenshot: bytes


def chromium_executable() -> str:
    """Debian's `chromium`, which scripts/install-test-deps.sh installs."""
    found = shutil.which("chromium")
    if not found:
        raise ChromiumError("chromium is not installed: run scripts/install-test-deps.sh (make test-e2e does)")
    return found


class HeadlessChromium:
    """One headless Chromium process; open() loads a page in a fresh tab. Use it as a context manager."""

    def __init__(self, executable: str | None = None, timeout_s: float = 30.0):
        self.timeout_s = timeout_s
        self._profile = tempfile.TemporaryDirectory(prefix="tradewind-chromium-")
        self._log_path = Path(self._profile.name) / "chromium.log"
        commands_read, commands_write = os.pipe()
        replies_read, replies_write = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4; the shell moves the pipes there.
        command = ["/bin/sh", "-c", 'exec "$@" 3<&0 4>&1 0</dev/null 1>&2', "sh", executable or chromium_executable(),
                   *FLAGS, f"--user-data-dir={self._profile.name}/profile"]
        with self._log_path.open("wb") as log:
            self.process = subprocess.Popen(command, stdin=commands_read, stdout=replies_write, stderr=log,
                                            start_new_session=True)
        os.close(commands_read)
        os.close(replies_write)
        self._commands = os.fdopen(commands_write, "wb", buffering=0)
        self._inbox: queue.Queue[dict | None] = queue.Queue()
        self._events: list[dict] = []
        self._last_id = 0
        threading.Thread(target=self._read, args=(replies_read,), daemon=True).start()
        self.version = self.call("Browser.getVersion")["product"]

    def __enter__(self) -> HeadlessChromium:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def open(self, url: str) -> RenderedPage:
        """Load `url` in a new tab, wait for its load event and for every image to decode, and report."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            for domain in ("Runtime", "Log", "Network", "Page"):
                self.call(f"{domain}.enable", session=session)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
            navigation = self.call("Page.navigate", {"url": url}, session=session)
            if navigation.get("errorText"):
                raise ChromiumError(f"{url}: {navigation['errorText']}")
            self._wait_for(lambda event: event.get("sessionId") == session
                           and event.get("method") == "Page.lifecycleEvent"
                           and event["params"]["name"] == "load"
                           and event["params"]["loaderId"] == navigation["loaderId"])
            probe = self.call("Runtime.evaluate", {"expression": PROBE, "awaitPromise": True, "returnByValue": True},
                              session=session)
            if "exceptionDetails" in probe:
                raise ChromiumError(f"probe failed: {probe['exceptionDetails']}")
            size = self.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            shot = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                        "clip": {"x": 0, "y": 0, "width": size["width"],
                                                                 "height": size["height"], "scale": 1}},
                             session=session)
            rendered = probe["result"]["value"]
            return RenderedPage(url=url, errors=self._errors(session), title=rendered["title"], text=rendered["text"],
                                images=rendered["images"], tables=rendered["tables"],
                                screenshot=base64.b64decode(shot["data"]))
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one DevTools command and wait for its answer; events that arrive meanwhile are kept."""
        self._last_id += 1
        message: dict = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._commands.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout_s
        while True:
            reply = self._receive(deadline, method)
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def close(self) -> None:
        """Ask Chromium to quit, wait for it, and kill its process group if it does not."""
        if self.process.poll() is None:
            with contextlib.suppress(ChromiumError):  # it may exit before it answers; the wait below counts
                self.call("Browser.close")
            try:
                self.process.wait(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._commands.close()
        self._profile.cleanup()

    def log(self) -> str:
        """What Chromium wrote to stderr so far (for failure messages)."""
        return self._log_path.read_text(errors="replace")[-4000:]

    def _errors(self, session: str) -> list[str]:
        """Console errors and assertions, uncaught exceptions, error log entries and failed loads of a tab."""
        errors = []
        for event in (e for e in self._events if e.get("sessionId") == session):
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                values = [str(arg.get("value", arg.get("description", ""))) for arg in params["args"]]
                errors.append(f"console.{params['type']}: {' '.join(values)}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                errors.append(f"exception: {details.get('exception', {}).get('description', details['text'])}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                errors.append(f"log ({entry['source']}): {entry['text']} {entry.get('url', '')}".rstrip())
            elif method == "Network.loadingFailed":
                errors.append(f"load failed ({params['type']}): {params.get('blockedReason') or params['errorText']}")
        return errors

    def _wait_for(self, matches) -> dict:
        """The first event, kept or arriving before the deadline, for which `matches` is true."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            found = next((event for event in self._events if matches(event)), None)
            if found:
                return found
            self._events.append(self._receive(deadline, "an event"))

    def _receive(self, deadline: float, awaited: str) -> dict:
        """The next message from Chromium; raises if it exits or says nothing before the deadline."""
        try:
            message = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise ChromiumError(f"no answer to {awaited} in {self.timeout_s} s; its log:\n{self.log()}") from None
        if message is None:
            self._inbox.put(None)
            raise ChromiumError(f"Chromium exited ({self.process.poll()}) awaiting {awaited}; its log:\n{self.log()}")
        return message

    def _read(self, fd: int) -> None:
        """Split Chromium's replies (JSON messages ended by NUL) into the inbox; None marks its exit."""
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            pending: list[bytes] = []
            while chunk := pipe.read(1 << 20):
                *complete, rest = chunk.split(b"\0")
                for piece in complete:
                    self._inbox.put(json.loads(b"".join([*pending, piece])))
                    pending = []
                pending.append(rest)
        self._inbox.put(None)
