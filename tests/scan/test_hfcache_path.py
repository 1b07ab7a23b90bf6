"""The Hugging Face cache folder licencecmp reads is the one huggingface_hub writes: the same
answer as ``huggingface_hub.constants.HF_HUB_CACHE`` for every way of setting it (issue 23 §4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

VARS = ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME")
CASES = [
    {},
    {"XDG_CACHE_HOME": "/x/cache"},
    {"HF_HOME": "/h/home", "XDG_CACHE_HOME": "/x/cache"},
    {"HUGGINGFACE_HUB_CACHE": "/legacy", "HF_HOME": "/h/home"},
    {"HF_HUB_CACHE": "/hub", "HUGGINGFACE_HUB_CACHE": "/legacy"},
    {"HF_HUB_CACHE": "~/hub-in-home"},
    {"HF_HOME": "$SOMEWHERE/hf", "SOMEWHERE": "/var/somewhere"},
]

PROBE = """
import json
import huggingface_hub.constants as c
from licencecmp.scan.hfcache import hub_cache_dir
print(json.dumps([c.HF_HUB_CACHE, str(hub_cache_dir())]))
"""


@pytest.mark.parametrize("env", CASES, ids=[",".join(c) or "default" for c in CASES])
def test_same_folder_as_huggingface_hub(env: dict[str, str]) -> None:
    base = {k: v for k, v in os.environ.items() if k not in VARS}
    done = subprocess.run([sys.executable, "-c", PROBE], env={**base, **env}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    library, ours = json.loads(done.stdout)
    assert os.path.normpath(ours) == os.path.normpath(library)
