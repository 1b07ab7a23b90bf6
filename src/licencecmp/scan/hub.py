"""Online mode: asking the Hugging Face Hub for a model's card data and tags.

One ``GET {endpoint}/api/models/{repo_id}`` per model (what ``HfApi.model_info`` sends), through
``huggingface_hub``'s own HTTP session and headers, parsed by its ``ModelInfo``. The Hub is treated
as hostile: the answer is streamed and capped at :data:`MAX_ANSWER_BYTES` (model info is small),
each lookup has a deadline that covers its retries and a server that drips bytes (the request runs
in a daemon thread that is abandoned when the deadline passes), the whole online phase of
:func:`fetch_many` has one, and a ``MemoryError`` is never retried. Retries with back-off are for
timeouts, connection failures, 429 and 5xx only. ``HF_ENDPOINT`` and ``HF_TOKEN`` are read at each
call; ``HF_HUB_OFFLINE=1`` wins over ``--online``. A model the Hub does not know (404), a gated or
private model without a token (401/403), or a failure gives no facts and a reason: nothing raises.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from licencecmp.scan.cards import CardFacts, facts_from_meta

__all__ = ["DEFAULT_ENDPOINT", "LOOKUP_DEADLINE", "MAX_ANSWER_BYTES", "PHASE_DEADLINE", "HubAnswer", "endpoint",
           "fetch_many", "fetch_one", "online_allowed", "online_requested"]

DEFAULT_ENDPOINT = "https://huggingface.co"
MAX_ANSWER_BYTES = 4 << 20
"""The largest model-info answer read (a repository listing thousands of files is well under 1 MiB)."""
LOOKUP_DEADLINE = 30.0
"""Seconds one lookup may take, its retries included."""
PHASE_DEADLINE = 300.0
"""Seconds the whole online phase of :func:`fetch_many` may take."""
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class HubAnswer:
    facts: CardFacts | None
    reason: str | None = None


def online_requested(flag: bool, policy_online: bool = False) -> bool:
    """``--online``, ``online = true`` in the policy, or ``LICENCECMP_ONLINE=1``."""
    return flag or policy_online or os.environ.get("LICENCECMP_ONLINE", "").strip().lower() in _TRUE


def online_allowed(requested: bool) -> tuple[bool, str | None]:
    """(whether to go online, why not): ``HF_HUB_OFFLINE=1`` wins."""
    if not requested:
        return False, None
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
        return False, "not looked up on the Hub: HF_HUB_OFFLINE is set"
    return True, None


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


class _Refused(Exception):
    """An answer this client will not read: too large, too slow, or not a model's info."""


@dataclass
class _Outcome:
    status: int = 0
    data: Any = None
    error: BaseException | None = None
    gated: bool = False


def _get(url: str, headers: dict[str, str], timeout: float, stop_at: float) -> _Outcome:
    """One GET, streamed and capped; runs in a worker thread."""
    import json

    from huggingface_hub import get_session

    out = _Outcome()
    try:
        with get_session().stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as r:
            out.status = r.status_code
            out.gated = r.headers.get("X-Error-Code", "") in ("GatedRepo", "GatedRepoError")
            if out.status >= 400:
                return out
            length = r.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > MAX_ANSWER_BYTES:
                raise _Refused(f"its answer is {int(length):,} bytes, over the {MAX_ANSWER_BYTES:,}-byte cap")
            chunks: list[bytes] = []
            size = 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise _Refused(f"its answer is over the {MAX_ANSWER_BYTES:,}-byte cap")
                if time.monotonic() > stop_at:
                    raise _Refused("it did not finish its answer before the deadline")
                chunks.append(chunk)
        out.data = json.loads(b"".join(chunks))
    except BaseException as exc:  # recorded for the caller, which runs in another thread
        out.error = exc
    return out


def _in_thread(url: str, headers: dict[str, str], timeout: float, stop_at: float) -> _Outcome | None:
    """:func:`_get` in a daemon thread, abandoned (None) when ``stop_at`` passes."""
    box: list[_Outcome] = []
    worker = threading.Thread(target=lambda: box.append(_get(url, headers, timeout, stop_at)), daemon=True,
                              name="licencecmp-hub")
    worker.start()
    worker.join(max(0.0, stop_at - time.monotonic()))
    return box[0] if box else None


def _facts(model_id: str, data: Any) -> HubAnswer:
    from huggingface_hub.hf_api import ModelInfo

    if not isinstance(data, dict):
        return HubAnswer(None, "the Hub's answer is not a model's info")
    try:
        info = ModelInfo(**data)  # type: ignore[no-untyped-call]  # the client's own parser
        meta: dict[str, Any] = dict(vars(info.card_data)) if info.card_data is not None else {}
        tags = [t for t in (info.tags or ()) if isinstance(t, str)]
        sha = info.sha if isinstance(info.sha, str) else None
    except Exception as exc:  # a malformed answer: the Hub's client could not read it
        return HubAnswer(None, f"the Hub's answer could not be read ({type(exc).__name__})")
    facts = facts_from_meta(meta, f"{endpoint()}/{model_id}", tags=tags, sha=sha)
    if not (facts.licence or facts.licence_name or facts.licence_link or facts.base_models):
        return HubAnswer(None, "the Hub's card data declare no licence")
    return HubAnswer(facts)


def _headers() -> dict[str, str]:
    """The request's headers. Not ``huggingface_hub.utils.build_hf_headers``: it fetches an agent
    registry from the endpoint on first use, a request with no deadline and no size cap."""
    from licencecmp._version import __version__

    headers = {"user-agent": f"licencecmp/{__version__}", "accept": "application/json"}
    token = os.environ.get("HF_TOKEN") or None
    if token is None:
        from huggingface_hub import get_token  # the saved token file; no request

        token = get_token()
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def fetch_one(model_id: str, *, timeout: float = 5.0, retries: int = 2, backoff: float = 0.5,
              deadline: float = LOOKUP_DEADLINE, stop_at: float | None = None) -> HubAnswer:
    """The card facts the Hub gives for ``model_id``, or a reason.

    ``timeout`` bounds each connect and read; ``deadline`` (seconds) the whole lookup with its
    retries; ``stop_at`` (a ``time.monotonic()`` value) an outer deadline, that of the phase.
    """
    from licencecmp.scan.hfcache import is_repo_id

    if not is_repo_id(model_id):
        return HubAnswer(None, "not a valid Hub repository id: not looked up")
    limit = time.monotonic() + deadline
    if stop_at is not None:
        limit = min(limit, stop_at)
    headers = _headers()
    url = f"{endpoint()}/api/models/{quote(model_id, safe='/')}"
    attempt = 0
    while True:
        if time.monotonic() >= limit:
            return HubAnswer(None, f"the Hub did not answer within the deadline ({deadline:g} s per lookup)")
        out = _in_thread(url, headers, timeout, limit)
        if out is None:
            return HubAnswer(None, f"the Hub did not answer within the deadline ({deadline:g} s per lookup)")
        code = out.status or None
        if out.error is not None:
            if isinstance(out.error, MemoryError):
                return HubAnswer(None, "the Hub's answer was too large to read")
            if isinstance(out.error, _Refused):
                return HubAnswer(None, f"the Hub's answer was refused: {out.error}")
            if isinstance(out.error, ValueError):  # not JSON
                return HubAnswer(None, "the Hub's answer is not JSON")
        elif code is not None and code < 400:
            return _facts(model_id, out.data)
        if out.gated:
            return HubAnswer(None, "gated model: access needs a token with permission (HF_TOKEN)")
        if code in (401, 403):
            return HubAnswer(None, f"private or gated model (HTTP {code}): set HF_TOKEN with access")
        if code == 404:
            return HubAnswer(None, "the Hub does not know this model (HTTP 404)")
        transient = code is None or code == 429 or code >= 500
        pause = backoff * 2 ** attempt
        if transient and attempt < retries and time.monotonic() + pause < limit:
            attempt += 1
            time.sleep(pause)
            continue
        exc = out.error
        what = f"HTTP {code}" if code else (type(exc).__name__ + (f": {exc}" if exc is not None and str(exc) else ""))
        return HubAnswer(None, f"the Hub could not be reached ({' '.join(what.split())[:200]}) after "
                         f"{attempt + 1} attempt(s)")


def fetch_many(ids: Iterable[str], *, timeout: float = 5.0, workers: int = 8,
               deadline: float = PHASE_DEADLINE) -> dict[str, HubAnswer]:
    """:func:`fetch_one` for each id, at most ``workers`` at a time, all within ``deadline`` seconds."""
    from concurrent.futures import ThreadPoolExecutor

    todo = list(dict.fromkeys(ids))
    if not todo:
        return {}
    stop_at = time.monotonic() + deadline

    def one(mid: str) -> HubAnswer:
        if time.monotonic() >= stop_at:
            return HubAnswer(None, f"not looked up: the online phase passed its deadline ({deadline:g} s)")
        return fetch_one(mid, timeout=timeout, stop_at=stop_at)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
        answers = list(pool.map(one, todo))
    return dict(zip(todo, answers, strict=True))
