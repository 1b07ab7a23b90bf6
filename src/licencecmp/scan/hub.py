"""Online mode: asking the Hugging Face Hub for a model's card data and tags.

One ``huggingface_hub.HfApi().model_info(repo_id)`` per model, with a short timeout, a bounded
number of workers, and retries with back-off for timeouts, connection failures, 429 and 5xx only.
``HF_ENDPOINT`` and ``HF_TOKEN`` are read at each call; ``HF_HUB_OFFLINE=1`` wins over
``--online``. A model the Hub does not know (404), a gated or private model without a token
(401/403), or a network failure gives no facts and a reason: nothing raises.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from licencecmp.scan.cards import CardFacts, facts_from_meta

__all__ = ["DEFAULT_ENDPOINT", "HubAnswer", "endpoint", "fetch_many", "fetch_one", "online_allowed",
           "online_requested"]

DEFAULT_ENDPOINT = "https://huggingface.co"
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


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def fetch_one(model_id: str, *, timeout: float = 5.0, retries: int = 2, backoff: float = 0.5) -> HubAnswer:
    """The card facts the Hub gives for ``model_id``, or a reason."""
    try:
        from huggingface_hub import HfApi
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
    except ImportError:  # pragma: no cover - a dependency
        return HubAnswer(None, "huggingface_hub is not installed")
    api = HfApi(endpoint=endpoint(), token=os.environ.get("HF_TOKEN") or None)
    attempt = 0
    while True:
        try:
            info = api.model_info(model_id, timeout=timeout)
        except GatedRepoError:
            return HubAnswer(None, "gated model: access needs a token with permission (HF_TOKEN)")
        except RepositoryNotFoundError as exc:
            code = _status(exc)
            if code in (401, 403):
                return HubAnswer(None, f"private or gated model (HTTP {code}): set HF_TOKEN with access")
            return HubAnswer(None, "the Hub does not know this model (HTTP 404)")
        except Exception as exc:  # network failures and HTTP errors of every kind
            code = _status(exc)
            if code in (401, 403):
                return HubAnswer(None, f"private or gated model (HTTP {code}): set HF_TOKEN with access")
            if code == 404:
                return HubAnswer(None, "the Hub does not know this model (HTTP 404)")
            transient = code is None or code == 429 or code >= 500
            if transient and attempt < retries:
                attempt += 1
                time.sleep(backoff * 2 ** (attempt - 1))
                continue
            what = f"HTTP {code}" if code else (type(exc).__name__ + (f": {exc}" if str(exc) else ""))
            return HubAnswer(None, f"the Hub could not be reached ({' '.join(what.split())[:200]}) after "
                             f"{attempt + 1} attempt(s)")
        meta: dict[str, Any] = dict(vars(info.card_data)) if info.card_data is not None else {}
        facts = facts_from_meta(meta, f"{endpoint()}/{model_id}", tags=info.tags or (), sha=info.sha)
        if not (facts.licence or facts.licence_name or facts.licence_link or facts.base_models):
            return HubAnswer(None, "the Hub's card data declare no licence")
        return HubAnswer(facts)


def fetch_many(ids: Iterable[str], *, timeout: float = 5.0, workers: int = 8) -> dict[str, HubAnswer]:
    """:func:`fetch_one` for each id, at most ``workers`` at a time."""
    from concurrent.futures import ThreadPoolExecutor

    todo = list(dict.fromkeys(ids))
    if not todo:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
        answers = list(pool.map(lambda mid: fetch_one(mid, timeout=timeout), todo))
    return dict(zip(todo, answers, strict=True))
