"""Gate bypasses: nothing a repository does may hide a model or replace its licence."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from licencecmp.scan.check import run_check
from licencecmp.scan.policy import load_policy
from tests.conftest import Cli, need_shared
from tests.fixtures.check.support import git_init, need, shipped_catalogue, write_tree

LLAMA = "meta-llama/Llama-3.1-8B"


def _report(cli: Cli, root: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out, err = cli("check", str(root), "--format", "json", "--no-progress", *extra)
    assert code in (0, 1, 2), err
    return code, json.loads(out)


def test_a_card_named_like_a_registry_model_does_not_replace_its_licence(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    card = f"---\nlicense: mit\nmodel_name: {LLAMA}\n---\n"
    for order, names in (("card-first", ("a/README.md", "z/app.py")), ("code-first", ("z/README.md", "a/app.py"))):
        root = tmp_path / order
        write_tree(root, {names[0]: card, names[1]: f'"{LLAMA}"\n'})
        _, report = _report(cli, root)
        [model] = [m for m in report["models"] if m["model"] == LLAMA]
        registry_licence = shipped_catalogue().model(LLAMA).licence
        assert registry_licence in model["licences"] and model["registry"], order
        assert any(f["rule"] == "licence-mismatch" and f["model"] == LLAMA for f in report["findings"]), order


def test_when_git_fails_committed_files_are_scanned_and_it_is_said(tmp_path: Path, cli: Cli,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    need(LLAMA)
    write_tree(tmp_path, {".gitignore": "generated/\n", "generated/model.py": f'"{LLAMA}"\n'})
    git_init(tmp_path)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "generated/model.py"], check=True)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # git cannot run
    _, out, err = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    report = json.loads(out)
    assert any(m["model"] == LLAMA for m in report["models"]), "a committed file vanished"
    assert any(f["rule"] == "incomplete-scan" for f in report["findings"]) and "warning" in err


def test_pyproject_policy_does_not_hide_the_rest_of_the_file(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"pyproject.toml": f'[tool.myapp]\nmodel = "{LLAMA}"\n\n[tool.licencecmp]\n'
                                            f'actions = ["use"]\n'})
    _, report = _report(cli, tmp_path)
    assert [loc["line"] for m in report["models"] for loc in m["locations"] if m["model"] == LLAMA] == [2]


def test_a_few_nul_bytes_do_not_hide_a_model(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"app.py": b"\0" + f'model = "{LLAMA}"\n'.encode() + b"#" * 200})
    _, report = _report(cli, tmp_path)
    assert any(m["model"] == LLAMA for m in report["models"])


def test_a_skipped_file_that_could_hold_a_model_warns_and_fails_under_strict(tmp_path: Path, cli: Cli) -> None:
    write_tree(tmp_path, {"app.py": f'"{LLAMA}"\n' + " " * 2000, "padded.py": b"\0" * 4000 + LLAMA.encode()})
    code, report = _report(cli, tmp_path, "--max-file-size", "1000")
    unscanned = {f["locations"][0]["path"] for f in report["findings"] if f["rule"] == "unscanned-file"}
    assert unscanned == {"app.py", "padded.py"} and code == 0
    (tmp_path / "licencecmp.toml").write_text("strict = true\nmax_file_size = 1000\n")
    code, report = _report(cli, tmp_path)
    assert code == 1 and all(f["level"] == "error" for f in report["findings"] if f["rule"] == "unscanned-file")


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and sockets")
def test_special_files_and_submodules_are_listed_as_skipped(tmp_path: Path) -> None:
    import socket

    walked, repo = tmp_path / "walked", tmp_path / "repo"
    write_tree(walked, {"a.py": "x = 1\n"})
    write_tree(repo, {"a.py": "x = 1\n"})
    git_init(repo)
    os.mkfifo(walked / "pipe.py")
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "-C", str(repo), "update-index", "--add", "--cacheinfo", f"160000,{head},sub"],
                   check=True)
    (repo / "sub").mkdir()
    policy, source = load_policy(None)
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.bind(str(walked / "s.sock"))
        except OSError:
            pytest.skip("cannot bind a UNIX socket here")
        skipped = {s.path: s.reason for s in run_check(walked, policy, source).skipped}
    assert "FIFO" in skipped["pipe.py"] and "socket" in skipped["s.sock"]
    skipped = {s.path: s.reason for s in run_check(repo, policy, source).skipped}
    assert "submodule" in skipped["sub"]


def test_cyclonedx_recognised_after_64_kib(tmp_path: Path, cli: Cli) -> None:
    bom = {"padding": "x" * 70_000, "components": [{"type": "machine-learning-model", "name": "acme/private",
                                                    "licenses": [{"license": {"id": "MIT"}}]}],
           "bomFormat": "CycloneDX", "specVersion": "1.6"}
    write_tree(tmp_path, {"bom.json": json.dumps(bom)})
    _, report = _report(cli, tmp_path)
    assert any(m["model"] == "acme/private" for m in report["models"])


def test_cyclonedx_with_duplicate_keys_is_an_error(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    text = ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "machine-learning-model", '
            f'"name": "{LLAMA}"}}], "components": []}}')
    write_tree(tmp_path, {"bom.json": text})
    code, _, err = cli("check", str(tmp_path), "--no-progress")
    assert code == 2 and "duplicate key" in err and len(err.splitlines()) == 1


MIT_TEXT_HEAD = "Copyright (c) <year> <copyright holders>"


@pytest.mark.parametrize("change", [
    ("Copyright (c) <year> <copyright holders>", "Copyright (c) 2025 Acme Corp. Military applications forbidden."),
    ("Copyright (c) <year> <copyright holders>", "Copyright (c) 2025 Acme Corp. Non-commercial purposes only."),
    ("MIT License", '<p title="Commercial deployment forbidden without a paid agreement">MIT License</p>'),
    ("MIT License", '<img alt="Research use exclusively" src="x.png"> MIT License'),
])
def test_a_restriction_in_a_copyright_line_or_an_html_attribute_is_not_an_exact_match(
        change: tuple[str, str]) -> None:
    """Issue 25, item 17: words on a copyright line after its holder, and attribute values a reader
    sees, were dropped before comparing, so MIT with a restriction was an exact match."""
    from licencecmp.reasoning.identify import IdentifyVerdict, identify_text

    text = (need_shared() / "mit.txt").read_text(encoding="utf-8")
    assert change[0] in text
    found = identify_text(text.replace(change[0], change[1], 1))
    assert found.verdict is not IdentifyVerdict.match and found.licence is None, found


@pytest.mark.parametrize("notice", [
    "Copyright (c) 2023 The Qwen team, Alibaba Group.", "Copyright 2024 Google LLC. All rights reserved.",
    "Copyright (c) Microsoft Corporation.", "Copyright (c) 2019-present, Facebook, Inc. and its affiliates.",
    "Copyright (c) 2020 the original author or authors.", "© 2025 J. R. Smith",
])
def test_a_plain_copyright_notice_is_still_set_aside(notice: str) -> None:
    from licencecmp.reasoning.identify import IdentifyVerdict, identify_text

    text = (need_shared() / "mit.txt").read_text(encoding="utf-8").replace(MIT_TEXT_HEAD, notice, 1)
    assert identify_text(text).verdict is IdentifyVerdict.match
