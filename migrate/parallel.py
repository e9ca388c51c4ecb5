"""Transform posts in several processes, in bounded batches, returning results in export order.

Only transforming and rendering run in the workers; the caller claims paths and writes files
in order, so the output is identical to a single-process run. At most ``jobs * 4`` batches are
in flight, so memory stays flat however long the export is.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from .context import Context, Outcome
from .errors import MigrateError
from .load.directory import Layout
from .model import Post

#: What each worker runs on every post: ``pipeline.render_post`` (given by the caller: this module imports no
#: stage, so the pipeline can import it).
RenderPost = Callable[[Post, Context, Layout], Outcome]

BATCH = 64  # posts per task: fewer, larger tasks cost the pool less (16: a few % slower on 10,000 posts)

_worker: dict[str, Any] = {}


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def quiet_worker() -> None:
    """Start of a worker process: Ctrl-C (sent to the whole process group) is for the main process alone, which
    stops the workers and prints one line; and a worker ends when the main process does, however it ends
    (Linux: the parent-death signal), rather than working on for nobody."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the main process was gone before the call
            os._exit(1)


def stop(pool: ProcessPoolExecutor, *, now: bool = False) -> None:
    """End a pool without waiting for its queued work (an error, Ctrl-C): the work not started is cancelled, and
    the workers end after their batch; ``now`` (Ctrl-C), at once, terminated. (A worker terminated while it sends
    a result can leave the pool's thread waiting for the rest: the process must then end with os._exit, as the
    command line does on Ctrl-C.)"""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    if not now:
        return
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


def _init(ctx: Context, layout: Layout, render: RenderPost, parse: Callable[[Any], Post] | None = None) -> None:
    quiet_worker()
    _worker["ctx"], _worker["layout"], _worker["render"], _worker["parse"] = ctx, layout, render, parse


def _render_batch(items: list[Any]) -> list[Outcome]:
    parse, render = _worker["parse"], _worker["render"]
    posts = items if parse is None else map(parse, items)
    return [render(post, _worker["ctx"], _worker["layout"]) for post in posts]


def render_all(posts: Iterable[Any], ctx: Context, layout: Layout, jobs: int, render: RenderPost,
               parse: Callable[[Any], Post] | None = None) -> Iterator[Outcome]:
    """``render`` (``pipeline.render_post``) for every post, in ``jobs`` processes, yielded in input order.

    With ``parse``, ``posts`` are what it makes posts of, in the workers (e.g. an item's XML, which is
    cheaper to send to another process than the post itself).
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pending: deque[Future[list[Outcome]]] = deque()
    it = iter(posts)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_init,
                               initargs=(ctx, layout, render, parse))
    try:
        while True:
            while len(pending) < jobs * 4:
                batch = list(islice(it, BATCH))
                if not batch:
                    break
                pending.append(pool.submit(_render_batch, batch))
            if not pending:
                break
            yield from pending.popleft().result()
    except BrokenProcessPool:
        stop(pool)
        raise MigrateError("a worker process died (out of memory?)", hint="run again with --jobs 1") from None
    except KeyboardInterrupt:
        stop(pool, now=True)
        raise
    except BaseException:  # an error, the consumer gone (GeneratorExit): no waiting for queued work
        stop(pool)
        raise
    pool.shutdown()
