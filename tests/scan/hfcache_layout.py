"""A Hugging Face hub cache written with the layout huggingface_hub uses:
``models--ORG--NAME/{blobs,refs,snapshots}``, files in snapshots linking to blobs by hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["cache_model"]


def cache_model(cache: Path, repo_id: str, files: dict[str, str], sha: str = "0123456789abcdef" * 2 + "01234567"
                ) -> Path:
    folder = cache / ("models--" + repo_id.replace("/", "--"))
    (folder / "blobs").mkdir(parents=True, exist_ok=True)
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    snap = folder / "snapshots" / sha
    snap.mkdir(parents=True, exist_ok=True)
    (folder / "refs" / "main").write_text(sha)
    for name, text in files.items():
        data = text.encode("utf-8")
        blob = folder / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        link = snap / name
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(blob, link.parent), link)
    return folder
