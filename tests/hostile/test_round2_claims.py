"""Issue 25 (hostile input, round 2), items 6-9, 14, 15 and 18: files the scan skipped in silence,
submodules, licences a repository declares for itself, nested policies, the lock file and MCP
arguments. The policy comes from outside the repository (``--policy``), as a CI job passes it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.fixtures.check.support import git_init, need, write_tree

REUPLOAD = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"
LLAMA = "meta-llama/Llama-3.1-8B"
DENY_LLAMA = 'deny = { licences = ["llama-3.1"] }\n'


def _policy(tmp_path: Path, text: str = DENY_LLAMA) -> Path:
    ci = tmp_path / "ci"
    ci.mkdir(exist_ok=True)
    path = ci / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _check(cli: Cli, root: Path, policy: Path | None, *extra: str) -> tuple[int, dict[str, Any], str]:
    args = ["check", str(root), "--format", "json", "--no-progress", *extra]
    if policy is not None:
        args += ["--policy", str(policy)]
    code, out, err = cli(*args)
    assert code in (0, 1, 2), err
    return code, (json.loads(out) if out.strip() else {}), err


def _unscanned(report: dict[str, Any]) -> dict[str, str]:
    return {f["locations"][0]["path"]: f["level"] for f in report["findings"] if f["rule"] == "unscanned-file"}


# -- item 6: skipped files ---------------------------------------------------------------------------

SCRIPT_HEAD = b"#!/usr/bin/env python3\n# build id: " + bytes(range(1, 9)) * 1200 + b"\n"


def test_control_bytes_in_a_comment_do_not_make_a_script_binary(tmp_path: Path, cli: Cli) -> None:
    """Issue 25 item 6: 9 KiB of control bytes in a comment made an extension-less script 'binary',
    skipped in silence, so the model it loads was never seen."""
    need(LLAMA)
    repo = write_tree(tmp_path / "repo", {"serve": SCRIPT_HEAD + f'MODEL = "{LLAMA}"\n'.encode()})
    code, report, _ = _check(cli, repo, _policy(tmp_path), "--max-file-size", str(1 << 20))
    assert any(m["model"] == LLAMA for m in report["models"]), report["skipped"]
    assert code == 1


def test_control_bytes_beyond_the_first_8_kib_of_a_file_are_judged(tmp_path: Path, cli: Cli) -> None:
    """The whole file is judged, not its first 8 KiB only: text after a binary-looking head is read."""
    need(LLAMA)
    body = b"".join(f'M{i} = "{LLAMA}"\n'.encode() for i in range(4000))
    repo = write_tree(tmp_path / "repo", {"run.py": bytes(range(1, 9)) * 1100 + b"\n" + body})
    _, report, _ = _check(cli, repo, _policy(tmp_path))
    assert any(m["model"] == LLAMA for m in report["models"]), report["skipped"]


@pytest.mark.skipif(os.name != "posix", reason="the executable bit")
@pytest.mark.parametrize("shape", ["shebang-too-large", "exec-bit-too-large", "shebang-binary", "exec-binary"])
def test_a_skipped_script_without_an_extension_is_an_unscanned_file(tmp_path: Path, cli: Cli, shape: str) -> None:
    """An extension-less script that is skipped (too large, or binary by its content) could name a
    model: an `unscanned-file` finding, an error under `strict`."""
    big = f'MODEL = "{LLAMA}"\n'.encode() + b"x = 1\n" * 400
    data = {"shebang-too-large": b"#!/bin/sh\n" + big, "exec-bit-too-large": big,
            "shebang-binary": b"#!/bin/sh\nX='" + bytes(range(1, 9)) * 600 + b"'\n",
            "exec-binary": b"X='" + bytes(range(1, 9)) * 600 + b"'\n"}[shape]
    repo = write_tree(tmp_path / "repo", {"launch": data, "tool.bin": data})
    if "exec" in shape:
        (repo / "launch").chmod(0o755)
    policy = _policy(tmp_path, "strict = true\nmax_file_size = 1000\n")
    code, report, _ = _check(cli, repo, policy)
    assert _unscanned(report) == {"launch": "error"}, report["findings"]
    assert code == 1


def test_a_compiled_executable_is_not_flagged(tmp_path: Path, cli: Cli) -> None:
    repo = write_tree(tmp_path / "repo", {"tool": b"\x7fELF\x02\x01\x01" + bytes(5000)})
    (repo / "tool").chmod(0o755)
    _, report, _ = _check(cli, repo, _policy(tmp_path, "strict = true\n"))
    assert _unscanned(report) == {} and report["skipped"], report


# -- item 7: submodules ------------------------------------------------------------------------------


def _with_submodule(tmp_path: Path, content: str) -> Path:
    sub = write_tree(tmp_path / "upstream", {"serve.py": content})
    git_init(sub)
    repo = write_tree(tmp_path / "repo", {"app.py": "x = 1\n"})
    git_init(repo)
    subprocess.run(["git", "-C", str(repo), "-c", "protocol.file.allow=always", "submodule", "add", "-q",
                    str(sub), "vendor/upstream"], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", "sub"], check=True, capture_output=True)
    return repo


def test_a_checked_out_submodule_is_scanned(tmp_path: Path, cli: Cli) -> None:
    """Issue 25 item 7: a submodule was skipped without a finding, so a model used in it passed."""
    need(LLAMA)
    repo = _with_submodule(tmp_path, f'MODEL = "{LLAMA}"\n')
    code, report, _ = _check(cli, repo, _policy(tmp_path))
    [model] = [m for m in report["models"] if m["model"] == LLAMA]
    assert model["locations"][0]["path"] == "vendor/upstream/serve.py" and code == 1


@pytest.mark.skipif(os.name != "posix", reason="a shell command as fsmonitor")
def test_a_submodule_config_runs_nothing(tmp_path: Path, cli: Cli) -> None:
    """Listing a submodule's files runs git inside it: the hardening must reach that git too."""
    need(LLAMA)
    repo = _with_submodule(tmp_path, f'MODEL = "{LLAMA}"\n')
    marker = tmp_path / "ran"
    config = repo / ".git" / "modules" / "vendor" / "upstream" / "config"
    with config.open("a", encoding="utf-8") as fh:
        fh.write(f"[core]\n\tfsmonitor = touch {marker}\n\tuntrackedCache = true\n")
    code, report, _ = _check(cli, repo, _policy(tmp_path))
    assert not marker.exists(), "the submodule's core.fsmonitor ran"
    assert any(m["model"] == LLAMA for m in report["models"]) and code == 1


def test_a_submodule_not_checked_out_is_an_unscanned_file(tmp_path: Path, cli: Cli) -> None:
    repo = _with_submodule(tmp_path, f'MODEL = "{LLAMA}"\n')
    subprocess.run(["git", "-C", str(repo), "submodule", "deinit", "-q", "-f", "vendor/upstream"], check=True,
                   capture_output=True)
    code, report, _ = _check(cli, repo, _policy(tmp_path, "strict = true\n"))
    assert _unscanned(report) == {"vendor/upstream": "error"} and code == 1, report["findings"]


# -- item 8: a licence the repository declares for a model -----------------------------------------


def _reupload_repo(tmp_path: Path, extra: dict[str, str | bytes]) -> Path:
    return write_tree(tmp_path / "repo", {
        "app.py": f'from transformers import AutoModel\nm = AutoModel.from_pretrained("{REUPLOAD}")\n', **extra})


CARD = f"---\nlicense: mit\nmodel_name: {REUPLOAD}\n---\n"
BOM = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
    {"type": "machine-learning-model", "name": REUPLOAD, "licenses": [{"license": {"id": "MIT"}}]}]})
LOCK = (f'version = 1\n\n[[model]]\nid = "{REUPLOAD}"\nlicences = ["mit"]\nresolution = "hub"\n'
        'upstream = []\n')


@pytest.mark.parametrize("where", ["card", "sbom", "lock"])
def test_a_licence_declared_in_the_repository_never_loosens_what_the_tool_infers(
        tmp_path: Path, cli: Cli, where: str) -> None:
    """Issue 25 item 8: `license: mit` in any card, a CycloneDX component or a lock entry made a
    Llama re-upload pass as MIT under a policy that denies Llama."""
    need("llama-3.1")
    extra = {"card": {"models/README.md": CARD}, "sbom": {"bom.json": BOM}, "lock": {"licencecmp.lock": LOCK}}
    repo = _reupload_repo(tmp_path, extra[where])  # type: ignore[arg-type]
    code, report, _ = _check(cli, repo, _policy(tmp_path), *(["--locked"] if where == "lock" else []))
    [model] = [m for m in report["models"] if m["model"] == REUPLOAD]
    assert "llama-3.1" in model["licences"], model
    assert code == 1 and any(f["rule"] == "denied-by-policy" for f in report["findings"])
    if where == "lock":
        assert any(f["rule"] == "lock-stale" and f["model"] == REUPLOAD for f in report["findings"])


def test_trust_repository_false_ignores_licences_the_repository_declares(tmp_path: Path, cli: Cli) -> None:
    need("llama-3.1")
    repo = write_tree(tmp_path / "repo", {"models/README.md": "---\nlicense: mit\nmodel_name: acme/private\n---\n",
                                          "bom.json": BOM.replace(REUPLOAD, "acme/other")})
    code, report, _ = _check(cli, repo, _policy(tmp_path, "trust_repository = false\n"))
    models = {m["model"]: m for m in report["models"]}
    assert models["acme/private"]["licences"] == [] and models["acme/other"]["licences"] == [], models
    assert code == 1
    code, report, _ = _check(cli, repo, _policy(tmp_path, ""))
    assert code == 0, report["findings"]


# -- item 9: nested policies ---------------------------------------------------------------------------


def _nested(tmp_path: Path, root_policy: str) -> Path:
    repo = write_tree(tmp_path / "repo", {
        "licencecmp.toml": root_policy,
        "packages/svc/pyproject.toml": '[project]\nname = "svc"\n\n[tool.licencecmp]\nactions = ["use"]\n',
        "packages/svc/app.py": f'MODEL = "{LLAMA}"\n'})
    git_init(repo)
    return repo


def test_a_nested_policy_is_named_and_the_root_one_can_be_pinned(tmp_path: Path, cli: Cli) -> None:
    """Issue 25 item 9: checking a package folder used its own [tool.licencecmp] and silently
    dropped the root policy (which denied Llama)."""
    need(LLAMA)
    repo = _nested(tmp_path, DENY_LLAMA)
    folder = repo / "packages" / "svc"
    code, report, _ = _check(cli, folder, None)
    assert report["policy"].endswith("pyproject.toml") and code == 0
    assert [Path(p).name for p in report["policies_ignored"]] == ["licencecmp.toml"], report
    [note] = [f for f in report["findings"] if f["rule"] == "ignored-policy"]
    assert note["level"] == "note" and note["locations"][0]["path"] == str(repo.resolve() / "licencecmp.toml")
    code, out, _ = cli("check", str(folder), "--no-progress", "--format", "github")
    assert "ignored-policy" in out and "licencecmp.toml" in out, out
    code, out, _ = cli("check", str(folder), "--no-progress")
    assert "licencecmp.toml" in out and "ignored" in out
    code, report, _ = _check(cli, folder, None, "--policy-root")
    assert report["policy"].endswith("licencecmp.toml") and code == 1
    repo = _nested(tmp_path / "pinned", "root = true\n" + DENY_LLAMA)
    code, report, _ = _check(cli, repo / "packages" / "svc", None)
    assert report["policy"].endswith("licencecmp.toml") and code == 1
    assert [Path(p).name for p in report["policies_ignored"]] == ["pyproject.toml"]
    code, report, _ = _check(cli, repo / "packages" / "svc", _policy(tmp_path, DENY_LLAMA))
    assert report["policy"].endswith("policy.toml") and code == 1


# -- item 14: the lock file -----------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_lock_that_links_out_of_the_tree_is_not_followed(tmp_path: Path, cli: Cli) -> None:
    outside = tmp_path / "elsewhere.lock"
    outside.write_text(LOCK, encoding="utf-8")
    repo = _reupload_repo(tmp_path, {})
    (repo / "licencecmp.lock").symlink_to(outside)
    code, _, err = _check(cli, repo, _policy(tmp_path, ""))
    assert code == 2 and "licencecmp.lock" in err and "symbolic link" in err, err


def test_a_huge_lock_is_refused_without_reading_it_whole(tmp_path: Path, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _reupload_repo(tmp_path, {})
    with open(repo / "licencecmp.lock", "wb") as fh:
        fh.truncate(64 * 1024 * 1024)  # sparse: 64 MiB that cost no disk
    read: list[int] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        data = real(self)
        read.append(len(data))
        return data

    monkeypatch.setattr(Path, "read_bytes", spy)
    code, _, err = _check(cli, repo, _policy(tmp_path, ""))
    assert code == 2 and "licencecmp.lock" in err and "larger" in err, err
    assert not any(n > 16 * 1024 * 1024 for n in read), read


# -- item 15: MCP arguments -----------------------------------------------------------------------------


# (item 15, MCP argument caps: tests/mcp/test_protocol.py, with the server the MCP issue rebuilt)


# -- item 18: errors that name their file; the resolution of an SBOM ---------------------------------


def test_a_bad_licence_in_the_lock_names_the_lock_file(tmp_path: Path, cli: Cli) -> None:
    repo = _reupload_repo(tmp_path, {"licencecmp.lock": LOCK.replace('"mit"', '"bogus-licence"')})
    code, _, err = _check(cli, repo, _policy(tmp_path, ""))
    assert code == 2 and "licencecmp.lock" in err and "bogus-licence" in err, err


def test_an_sbom_declared_licence_is_resolution_sbom(tmp_path: Path, cli: Cli) -> None:
    repo = write_tree(tmp_path / "repo", {"bom.json": BOM.replace(REUPLOAD, "acme/private")})
    _, report, _ = _check(cli, repo, _policy(tmp_path, ""))
    [model] = report["models"]
    assert model["resolution"] == "sbom" and model["licences"] == ["mit"], model
