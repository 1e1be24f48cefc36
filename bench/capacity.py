"""`python -m bench.capacity`: how many learners one server core holds, measured without browsers.

The server (`streamlit run app.py`) is pinned to core 0 (`taskset -c 0`); this process, pinned to core 1,
plays a class of learners over Streamlit's own websocket protocol (the protobuf messages of the installed
streamlit package), doing what a browser does and drawing nothing. Each learner opens the lab, sets its own
seed (a widget state), presses Train (a trigger value) and then answers the live panel's timer as the
browser does: the server sends `auto_rerun` (fragment id, interval) and the browser's own timer asks for a
fragment rerun at that interval until a full rerun or `stop_auto_rerun` cancels it. The learner reads the
progress line and the metrics it is sent; it has finished when it is sent "Epoch 200 of 200", and its final
metrics must be exactly those of core.engine.classifier.run_lab for its seed (computed here, beforehand).

Reported per class size: whether every learner finished within the deadline (from its Train to its last
epoch), median and worst seconds, the server's CPU seconds per learner, learners whose numbers were not
their own seed's, and how the class saw its runs: redraws (progress lines sent) and full page runs per learner,
and the longest a learner waited for a new progress line (median and worst over the class), and the CPU seconds the
virtual machine's host took for others meanwhile (steal time, to tell the host's load from the runs' own spread).
`--profile` starts the server with bench.cpu_split inside it and reports where the server's CPU seconds went during
the largest class.

Options: --sweep 10,20,30,40,50 (class sizes), --deadline SECONDS (60), --profile, --root PATH (serve another
checkout: before/after), --label NAME (the key the results are stored under in the output), --output PATH
(bench/capacity.json; other labels already in it are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import signal
import statistics
import tempfile
import time
from pathlib import Path

import psutil
from websockets.asyncio.client import connect

from core.engine import jax_setup
from tests.browser_support import ROOT, StreamlitServer

RESULTS = Path(__file__).with_name("capacity.json")
LAB_PATH = "memorize-or-generalize"
FIRST_SEED = 100
SERVER_CORE, CLIENT_CORE = 0, 1
FINISHED = re.compile(r"^Epoch (\d+) of \1\b")
METRICS = ("Training accuracy", "Held-out accuracy", "Gap")


def expected_numbers(seeds) -> dict[int, dict[str, str]]:
    """The lab's final metrics for each seed, formatted as the page shows them; kept in test-artifacts for the
    next measurement while the engine's code is the same."""
    kept_file = ROOT / "test-artifacts" / "capacity-expected.json"
    engine = hashlib.sha256(b"".join(path.read_bytes() for path in sorted((ROOT / "core").rglob("*.py"))))
    kept = json.loads(kept_file.read_text()) if kept_file.exists() else {}
    numbers = kept.get(engine.hexdigest(), {})
    numbers = {int(seed): shown for seed, shown in numbers.items()} | computed_numbers(
        set(seeds) - set(map(int, numbers))
    )
    kept_file.parent.mkdir(exist_ok=True)
    kept_file.write_text(json.dumps({engine.hexdigest(): numbers}))
    return numbers


def computed_numbers(seeds) -> dict[int, dict[str, str]]:
    from core.engine.classifier import LabConfig, run_lab

    numbers = {}
    for seed in sorted(seeds):
        history = run_lab(LabConfig(seed=seed))
        numbers[seed] = {
            "Training accuracy": f"{history.train_accuracy[-1]:.1%}",
            "Held-out accuracy": f"{history.test_accuracy[-1]:.1%}",
            "Gap": f"{100 * history.generalization_gap_accuracy[-1]:.1f} pts",
        }
    return numbers


class PinnedServer(StreamlitServer):
    """`streamlit run app.py` on one core (taskset), with its CPU seconds."""

    def __init__(self, root: Path, extra_env: dict):
        super().__init__(extra_env, root, prefix=("taskset", "-c", str(SERVER_CORE)), log_name="capacity-server")
        self.cpu = psutil.Process(self.process.pid)

    def cpu_seconds(self) -> float:
        times = self.cpu.cpu_times()
        return times.user + times.system


def _messages():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


class Learner:
    """One simulated browser session on the lab page."""

    def __init__(self, url: str, seed: int):
        self.address = url.replace("http://", "ws://") + "/_stcore/stream"
        self.seed = seed
        self.page_hash = ""
        self.widget_ids: dict[str, str] = {}
        self.timers: dict[str, tuple[float, asyncio.Task]] = {}
        self.runs_finished = asyncio.Event()
        self.epoch_line = ""
        self.metrics: dict[str, str] = {}
        self.errors: list[str] = []
        self.fragment_reruns = 0
        self.full_runs = 0
        self.redrawn_at: list[float] = []  # when each progress line of the run arrived
        self.bytes_received = 0
        self.finished_at: float | None = None
        self.pressed_at: float | None = None
        self.socket = None

    async def open(self) -> None:
        # A browser's websocket sends no keep-alive pings of its own (the server's are answered).
        self.socket = await connect(
            self.address, subprotocols=["streamlit"], max_size=None, open_timeout=120, ping_interval=None
        )
        self.reader = asyncio.create_task(self._read())
        await self._rerun(query_string="", page_name=LAB_PATH)
        await self._script_finished()
        missing = {"lab_seed", "lab_train"} - set(self.widget_ids)
        if missing:
            raise RuntimeError(f"the lab sent no widget for {sorted(missing)}")

    async def train(self) -> None:
        """Set the seed and press Train, in one rerun as the browser sends them."""
        self.pressed_at = time.monotonic()
        await self._rerun(seed=True, train=True)

    async def wait_finished(self, timeout: float) -> None:
        await asyncio.wait_for(self._until_finished(), timeout)

    async def close(self) -> None:
        for _, timer in self.timers.values():
            timer.cancel()
        if self.socket is not None:
            await self.socket.close()
            self.reader.cancel()

    async def _until_finished(self) -> None:
        while self.finished_at is None or self.timers:
            self.runs_finished.clear()
            await self.runs_finished.wait()

    async def _script_finished(self) -> None:
        self.runs_finished.clear()
        await self.runs_finished.wait()

    def _widget_states(self, seed: bool, train: bool):
        from streamlit.proto.WidgetStates_pb2 import WidgetStates

        states = WidgetStates()
        if seed:
            state = states.widgets.add(id=self.widget_ids["lab_seed"])
            state.int_value = self.seed
        if train:
            state = states.widgets.add(id=self.widget_ids["lab_train"])
            state.trigger_value = True
        return states

    async def _rerun(self, *, seed: bool = False, train: bool = False, fragment_id: str = "", **page) -> None:
        back_msg_type, _ = _messages()
        message = back_msg_type()
        client_state = message.rerun_script
        client_state.widget_states.CopyFrom(self._widget_states(seed, train))
        client_state.page_script_hash = self.page_hash
        client_state.fragment_id = fragment_id
        client_state.is_auto_rerun = bool(fragment_id)
        for name, value in page.items():
            setattr(client_state, name, value)
        await self.socket.send(message.SerializeToString())

    async def _timer(self, fragment_id: str, interval: float) -> None:
        """The browser's setInterval: a fragment rerun every `interval` seconds, whether or not the last ended."""
        while True:
            await asyncio.sleep(interval)
            self.fragment_reruns += 1
            await self._rerun(seed=True, fragment_id=fragment_id)

    def _stop_timers(self, fragment_ids=None) -> None:
        for fragment_id in list(fragment_ids if fragment_ids is not None else self.timers):
            _, timer = self.timers.pop(fragment_id, (None, None))
            if timer is not None:
                timer.cancel()

    async def _read(self) -> None:
        _, forward_msg_type = _messages()
        try:
            async for data in self.socket:
                self.bytes_received += len(data)
                message = forward_msg_type()
                message.ParseFromString(data)
                self._handle(message)
        except Exception as error:  # a dropped connection is a result of the class, not a crash of the bench
            self.errors.append(f"{type(error).__name__}: {error}"[:200])
            self.runs_finished.set()

    def _handle(self, message) -> None:
        kind = message.WhichOneof("type")
        if kind == "navigation":  # st.navigation names the page this session is on
            self.page_hash = message.navigation.page_script_hash
        elif kind == "new_session":
            if not message.metadata.run.fragment_ids:  # a full run: the browser drops every timer
                self.full_runs += 1
                self._stop_timers()
        elif kind == "auto_rerun":
            self._start_timer(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_timers(message.stop_auto_rerun.fragment_ids)
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._read_element(message.delta.new_element)
        elif kind == "script_finished":
            self.runs_finished.set()

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self.timers and self.timers[fragment_id][0] == interval:
            return
        self._stop_timers([fragment_id])
        self.timers[fragment_id] = (interval, asyncio.create_task(self._timer(fragment_id, interval)))

    def _read_element(self, element) -> None:
        kind = element.WhichOneof("type")
        widget = getattr(element, kind) if kind else None
        widget_id = getattr(widget, "id", "")
        for key in ("lab_seed", "lab_train"):
            if isinstance(widget_id, str) and widget_id.endswith(f"-{key}"):
                self.widget_ids[key] = widget_id
        if kind == "progress" and FINISHED.match(element.progress.text):
            self.finished_at = self.finished_at or time.monotonic()
        elif kind == "progress":
            self.epoch_line = element.progress.text
            if self.pressed_at is not None:
                self.redrawn_at.append(time.monotonic())
        elif kind == "metric" and element.metric.label in METRICS:
            self.metrics[element.metric.label] = element.metric.body
        elif kind == "exception" or (kind == "alert" and "Something went wrong" in element.alert.body):
            self.errors.append(f"{kind}: {getattr(widget, 'message', '') or getattr(widget, 'body', '')}"[:200])

    def result(self, expected: dict[str, str]) -> dict:
        seconds = None if self.finished_at is None else round(self.finished_at - self.pressed_at, 2)
        return {
            "seed": self.seed,
            "finished": self.finished_at is not None,
            "seconds": seconds,
            "own_numbers": self.metrics == expected,
            "shown": self.metrics,
            "fragment_reruns": self.fragment_reruns,
            "mb_received": round(self.bytes_received / 2**20, 2),
            "last_progress": self.epoch_line,
            "errors": self.errors,
            "full_runs": self.full_runs,
            "redraws": len(self.redrawn_at),
            "longest_wait": self._longest_wait(),
            "first_wait": self._first_wait(),
        }

    def _first_wait(self) -> float | None:
        """From Train to the run's first progress line (seconds): how long the press itself seemed to do nothing."""
        if self.pressed_at is None or not self.redrawn_at:
            return None
        return round(self.redrawn_at[0] - self.pressed_at, 2)

    def _longest_wait(self) -> float | None:
        """The longest the learner looked at the same progress line between Train and its last epoch (seconds)."""
        if self.pressed_at is None or self.finished_at is None:
            return None
        times = [self.pressed_at, *(t for t in self.redrawn_at if t < self.finished_at), self.finished_at]
        return round(max(later - earlier for earlier, later in zip(times, times[1:])), 2)


async def one_learner(learner: Learner, opened: asyncio.Barrier, give_up: float) -> None:
    try:
        await learner.open()
    finally:
        await opened.wait()  # the class presses Train together, once every page has opened
    await learner.train()
    await learner.wait_finished(give_up)


async def run_class(url: str, seeds: list[int], give_up: float) -> tuple[list[Learner], dict]:
    """Every learner of the class, and wall-clock phases: opening the pages, then from Train to the last finish."""
    learners = [Learner(url, seed) for seed in seeds]
    opened = asyncio.Barrier(len(learners))
    started = time.monotonic()
    outcomes = await asyncio.gather(
        *(one_learner(learner, opened, give_up) for learner in learners), return_exceptions=True
    )
    for learner, outcome in zip(learners, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            learner.errors.append(f"{type(outcome).__name__}: {outcome}"[:200])
        await learner.close()
    pressed = min((learner.pressed_at for learner in learners if learner.pressed_at), default=started)
    phases = {"open_pages_seconds": round(pressed - started, 2), "train_seconds": round(time.monotonic() - pressed, 2)}
    return learners, phases


def summarise(learners: list[Learner], expected: dict, deadline: float) -> dict:
    results = [learner.result(expected[learner.seed]) for learner in learners]
    times = [r["seconds"] for r in results if r["finished"]]
    all_finished = len(times) == len(results)
    return {
        "learners": len(results),
        "all_finished": all_finished,
        "median_seconds": round(statistics.median(times), 2) if times else None,
        "worst_seconds": max(times) if times else None,
        "all_within_deadline": all_finished and max(times) <= deadline,
        "learners_without_their_own_numbers": [r["seed"] for r in results if r["finished"] and not r["own_numbers"]],
        "fragment_reruns_per_learner": round(statistics.mean(r["fragment_reruns"] for r in results), 1),
        "full_runs_per_learner": round(statistics.mean(r["full_runs"] for r in results), 1),
        "redraws_per_learner": round(statistics.mean(r["redraws"] for r in results), 1),
        "longest_wait_for_a_redraw_seconds_median_worst": _median_and_worst(
            [r["longest_wait"] for r in results if r["longest_wait"] is not None]
        ),
        "wait_from_train_to_the_first_redraw_seconds_median_worst": _median_and_worst(
            [r["first_wait"] for r in results if r["first_wait"] is not None]
        ),
        "learners_whose_longest_wait_was_the_first": sum(
            r["first_wait"] is not None and r["first_wait"] == r["longest_wait"] for r in results
        ),
        "mb_sent_per_learner": round(statistics.mean(r["mb_received"] for r in results), 2),
        "failures": [r for r in results if not r["finished"] or r["errors"]][:5],
    }


def _median_and_worst(values: list[float]) -> list[float] | None:
    return [round(statistics.median(values), 2), max(values)] if values else None


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def stolen_cpu_seconds() -> float:
    """CPU seconds the virtual machine's host has given to others since boot (/proc/stat's steal column, all cores).
    The same code measured 1.4 to 1.8 server CPU-s per learner from run to run; with this recorded, a run slowed by
    the host's other guests can be told from one that was not (in the runs so far the host took under a second)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def measure_class(server: PinnedServer, size: int, expected: dict, deadline: float) -> dict:
    seeds = list(range(FIRST_SEED, FIRST_SEED + size))
    cpu_before, load_before, stolen_before = server.cpu_seconds(), load_average(), stolen_cpu_seconds()
    learners, phases = asyncio.run(run_class(server.url, seeds, give_up=2 * deadline + 30))
    server_cpu = server.cpu_seconds() - cpu_before
    report = summarise(learners, expected, deadline) | phases
    report["server_cpu_seconds"] = round(server_cpu, 1)
    report["server_cpu_seconds_per_learner"] = round(server_cpu / size, 2)
    report["load_average_before_after"] = [load_before, load_average()]
    report["cpu_seconds_stolen_by_the_host"] = round(stolen_cpu_seconds() - stolen_before, 1)
    return report


def profiled_environment(report_file: Path) -> tuple[dict, tempfile.TemporaryDirectory]:
    """Environment that imports bench.cpu_split into the server at start (through a `sitecustomize`)."""
    folder = tempfile.TemporaryDirectory()
    Path(folder.name, "sitecustomize.py").write_text("import bench.cpu_split\n\nbench.cpu_split.install()\n")
    python_path = os.pathsep.join([folder.name, str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {"PYTHONPATH": python_path, "TRAINLAB_CPU_SPLIT_REPORT": str(report_file)}, folder


def measure(args) -> dict:
    sizes = [int(size) for size in args.sweep.split(",") if size]
    report_file = Path(tempfile.mkdtemp()) / "cpu_split.json"
    environment, folder = profiled_environment(report_file) if args.profile else ({}, None)
    server = PinnedServer(args.root, environment)
    try:
        server.wait_healthy(timeout=120)
        expected = expected_numbers(range(FIRST_SEED, FIRST_SEED + max(sizes)))
        warm = asyncio.run(run_class(server.url, [FIRST_SEED], give_up=300))[0][0]  # compiles, if not cached
        report = {"deadline_seconds": args.deadline, "alone_seconds": warm.result(expected[FIRST_SEED])["seconds"]}
        report["classes"] = []
        for size in sizes:
            if args.profile and size == max(sizes):
                server.process.send_signal(signal.SIGUSR1)  # the profile covers this class only
            report["classes"].append(measure_class(server, size, expected, args.deadline))
            print(json.dumps({k: v for k, v in report["classes"][-1].items() if k != "failures"}), flush=True)
        if args.profile:
            report["server_cpu_split"] = {"class": max(sizes)} | read_cpu_split(server, report_file)
    finally:
        server.stop()
        if folder is not None:
            folder.cleanup()
    holding = [c["learners"] for c in report["classes"] if c["all_within_deadline"]]
    holding = [
        size
        for size, c in zip(sizes, report["classes"], strict=True)
        if size in holding and not c["learners_without_their_own_numbers"]
    ]
    report["learners_per_server_core_within_deadline"] = max(holding, default=0)
    return report


def read_cpu_split(server: PinnedServer, report_file: Path) -> dict:
    server.process.send_signal(signal.SIGUSR2)
    deadline = time.monotonic() + 30
    while not report_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return json.loads(report_file.read_text()) if report_file.exists() else {"error": "no report"}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", type=str, default="10,20,30,40,50")
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--label", type=str, default="current")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.sched_setaffinity(0, {CLIENT_CORE})  # the class plays on the other core than the server's
    jax_setup.enable_compilation_cache()  # for the expected numbers
    report = measure(args)
    stored = json.loads(args.output.read_text()) if args.output.exists() else {}
    stored[args.label] = report
    args.output.write_text(json.dumps(stored, indent=2) + "\n")
    print(
        f"{args.label}: learners per server core within {args.deadline:.0f} s: "
        f"{report['learners_per_server_core_within_deadline']}; wrote {args.output}"
    )


if __name__ == "__main__":
    main()
