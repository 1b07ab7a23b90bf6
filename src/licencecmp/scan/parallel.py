"""Work over a long list on every core: a pool of worker processes over consecutive chunks of the
list, the results given back in list order, so that merging them gives what one sequential pass
gives.

The work is a module-level function ``work(state, chunk)``. ``state`` (for the scan: the
registry-id matcher, built once) reaches each worker once, through the pool's initializer; with the
``fork`` start method (Linux) it is inherited, never pickled, and nothing is imported again. Each
chunk is a slice of the list (paths: cheap to send) and its result a small object. A small list, a
single core, or a pool that cannot be started (no process support, no semaphores in a sandbox) is
worked through in this process; a pool that breaks (a worker killed) finishes in this process too.

The list may be an iterator (a walk of the tree): it is then read as the chunks are worked, a few chunks
ahead of the results given back, so that neither the list nor its results are ever held whole; one of
fewer than :data:`MIN_PARALLEL` items is read whole and worked as a list.

``LICENCECMP_WORKERS=N`` sets the number of processes: ``1`` works in this process, ``N > 1`` uses
a pool of N for any list.

>>> list(map_chunks(_demo, list(range(5)), 10, workers=1))
[[10, 11, 12, 13, 14]]
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

__all__ = ["MIN_PARALLEL", "WORKERS_ENV", "available_cpus", "map_chunks", "plan"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL = 2000
"""Below this many items a pool costs more (starting processes, sending results) than it saves."""
WORKERS_ENV = "LICENCECMP_WORKERS"
CHUNKS_PER_WORKER = 8  # enough chunks that the last ones finish together
MIN_CHUNK, MAX_CHUNK = 64, 1024  # items per chunk: amortise the cost of one round trip; bound the result

_state: Any = None  # the state of this worker process (set once by the pool's initializer)


def available_cpus() -> int:
    """The CPUs this process may use (its affinity mask where the platform has one)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def plan(n_items: int, workers: int | None = None) -> int:
    """How many processes to use for ``n_items``: ``workers`` when given (or ``LICENCECMP_WORKERS``),
    else every CPU when there are at least :data:`MIN_PARALLEL` items, else 1 (this process)."""
    if workers is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        if env.isdigit() and int(env) > 0:
            workers = int(env)
    if workers is None:
        workers = available_cpus() if n_items >= MIN_PARALLEL else 1
    return max(1, min(workers, n_items))


def _chunk_size(seen: int, workers: int) -> int:
    """Items per chunk once ``seen`` items are known: about :data:`CHUNKS_PER_WORKER` chunks per worker."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-seen // (workers * CHUNKS_PER_WORKER))))


def _init(state: Any) -> None:
    global _state
    _state = state


def _run(work: Callable[[Any, Sequence[T]], R], chunk: Sequence[T]) -> R:
    return work(_state, chunk)


def _context() -> Any:
    import multiprocessing
    import threading

    # fork: the workers inherit the state and every imported module. Not with other threads running
    # (a lock held by one of them would stay held in the child).
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


IN_FLIGHT_PER_WORKER = 2
"""Chunks of an iterator sent ahead per worker: enough to keep every worker busy, few enough to bound memory."""


def map_chunks(
    work: Callable[[S, Sequence[T]], R],
    items: Sequence[T] | Iterable[T],
    state: S,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
) -> Iterator[R]:
    """``work(state, chunk)`` for consecutive chunks of ``items``, in order; ``progress(done, total)``
    after each chunk. ``work`` must be a module-level function (it is sent to the workers by name).
    ``items`` may be an iterator, read as the work goes (``total``: how many it will give, for
    ``progress``; without it, the items read so far)."""
    rest: Iterator[T]
    if isinstance(items, Sequence):
        head, rest, total = list(items), iter(()), len(items)
    else:
        rest = iter(items)
        head = list(islice(rest, MIN_PARALLEL))  # fewer than that: the whole list, worked as a list
    n = plan(len(head), workers)
    if len(head) <= _chunk_size(len(head), n):  # one chunk: no pool for it
        n = 1
    yield from _streamed(work, head, rest, state, n, progress, total)


def _streamed(work: Callable[[S, Sequence[T]], R], head: list[T], rest: Iterator[T], state: S, n: int,
              progress: Callable[[int, int], None] | None, total: int | None) -> Iterator[R]:
    """:func:`map_chunks` over ``head`` then ``rest``: chunks cut as the items are read (sized as a list of
    the items read so far would be), at most :data:`IN_FLIGHT_PER_WORKER` per worker sent ahead of the
    result given back; in this process when ``n`` is 1."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    seen = len(head)  # items read from the iterator so far
    pending_items: Iterator[T] = _chain(head, rest)

    def next_chunk() -> list[T]:
        return list(islice(pending_items, _chunk_size(seen, n)))

    pool: ProcessPoolExecutor | None = None
    if n > 1:
        try:
            pool = ProcessPoolExecutor(max_workers=n, mp_context=_context(), initializer=_init, initargs=(state,))
        except (OSError, NotImplementedError, ImportError, RuntimeError):  # no processes here: do it ourselves
            pool = None
    queue: deque[tuple[list[T], Future[R] | None]] = deque()
    done = 0
    read = 0

    def fill() -> None:
        nonlocal pool, read, seen
        while len(queue) < (n * IN_FLIGHT_PER_WORKER if pool is not None else 1):
            chunk = next_chunk()
            if not chunk:
                return
            read += len(chunk)
            seen = max(seen, read)
            future: Future[R] | None = None
            if pool is not None:
                try:
                    future = pool.submit(_run, work, chunk)
                except (BrokenProcessPool, RuntimeError, OSError):  # the pool broke: finish here
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = None
            queue.append((chunk, future))

    try:
        fill()
        while queue:
            chunk, future = queue.popleft()
            result: R
            if future is None:
                result = work(state, chunk)
            else:
                try:
                    result = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory): finish here
                    result = work(state, chunk)
            del future
            fill()
            yield result
            done += len(chunk)
            if progress is not None:
                progress(done, total if total is not None else max(read, done))
        if progress is not None and total is not None and done != total:  # the tree changed while it was scanned
            progress(done, done)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _chain(head: list[T], rest: Iterator[T]) -> Iterator[T]:
    yield from head
    yield from rest


def _demo(state: int, chunk: Sequence[int]) -> list[int]:
    return [state + x for x in chunk]
