"""Hangs and memory: every input under the 5 MiB default is read in linear time and bounded memory.
Each test runs the CLI in a subprocess under a generous wall-clock cap and a memory cap (no timing
assertion: the old code ran for minutes, for ever, or out of memory). Figures: benchmarks/hostile.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fixtures.check.support import write_tree
from tests.hostile.support import one_error_line, run

LLAMA = "meta-llama/Llama-3.1-8B"
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX")


def test_many_ids_in_one_file(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", {"ids.py": f'"{LLAMA}"\n' * 150_000})  # 4 MB
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    locations = json.loads(proc.stdout)["models"][0]["locations"]
    assert len(locations) == 150_000 and locations[-1]["line"] == 150_000


def test_many_cyclonedx_components(tmp_path: Path) -> None:
    comps = [{"type": "machine-learning-model", "name": "acme/m", "bom-ref": f"r{i}",
              "licenses": [{"license": {"id": "MIT"}}]} for i in range(40_000)]  # 4.4 MB
    write_tree(tmp_path / "repo", {"bom.json": json.dumps({"bomFormat": "CycloneDX", "components": comps})
                                    .replace("}, {", "},\n{")})
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert len(json.loads(proc.stdout)["models"][0]["locations"]) == 40_000


def test_spdx_yaml_alias_bomb(tmp_path: Path) -> None:
    lines = ["spdxVersion: SPDX-2.3", "SPDXID: SPDXRef-DOCUMENT", "name: x", "dataLicense: CC0-1.0",
             "documentNamespace: https://example.com/x",
             'a0: &a0 ["xxxxxxxxxx", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    lines += ["creationInfo:", '  created: "2024-01-01T00:00:00Z"', '  creators: ["Tool: x"]', "  comment: *a6",
              "comment: *a6"]
    write_tree(tmp_path / "repo", {"doc.spdx.yaml": "\n".join(lines) + "\n"})
    proc = run(["check", "repo", "--no-progress"], tmp_path)
    assert proc.returncode == 2 and one_error_line(proc.stderr) and "alias" in proc.stderr


def _tag_value(n: int) -> str:
    head = ["SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT", "DocumentName: x",
            "DocumentNamespace: https://example.com/x", "Creator: Tool: x", "Created: 2024-01-01T00:00:00Z", ""]
    for i in range(n):
        head += [f"PackageName: pkg{i}", f"SPDXID: SPDXRef-P{i}", "PackageDownloadLocation: NOASSERTION",
                 "FilesAnalyzed: false", "PackageLicenseDeclared: MIT AND Apache-2.0", ""]
    return "\n".join(head)


def test_spdx_tag_value_is_linear(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", {"doc.spdx": _tag_value(5_000)})  # 700 KB: 6 minutes before
    proc = run(["check", "repo", "--no-progress"], tmp_path)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("where", ["gitignore", "exclude"])
def test_wildcard_patterns_do_not_backtrack(tmp_path: Path, where: str) -> None:
    pattern = "*a" * 30 + "*b"
    files: dict[str, str | bytes] = {"a" * 200 + ".py": "x = 1\n"}
    if where == "gitignore":
        files[".gitignore"] = pattern + "\n"
    else:
        files["licencecmp.toml"] = f"exclude = [{json.dumps(pattern)}]\n"
    write_tree(tmp_path / "repo", files)
    proc = run(["check", "repo", "--no-progress"], tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_policy_key_index_is_linear(tmp_path: Path) -> None:
    text = 'description = """\n[[' + " " * 4000 + 'x\n"""\n[tool.licencecmp]\nactions = ["use"]\nmau = "x"\n'
    write_tree(tmp_path / "repo", {"pyproject.toml": text})
    proc = run(["check", "repo", "--no-progress"], tmp_path)
    assert proc.returncode == 2 and one_error_line(proc.stderr)


def test_yaml_sniffing_is_linear_on_blank_lines(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"conf{i}.yaml": "\n" * 65_536 + f"model: {LLAMA}\n" for i in range(20)}
    write_tree(tmp_path / "repo", files)
    proc = run(["check", "repo", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1) and LLAMA in proc.stdout, proc.stderr


@posix
def test_a_gitignore_that_is_a_fifo_or_dev_zero(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {"a.py": f'"{LLAMA}"\n', "sub/b.py": "x = 1\n"})
    os.mkfifo(repo / ".gitignore")
    os.symlink("/dev/zero", repo / "sub" / ".gitignore")
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    skipped = {s["path"] for s in json.loads(proc.stdout)["skipped"]}
    assert {".gitignore", "sub/.gitignore"} <= skipped


@posix
def test_identify_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "LICENSE")
    proc = run(["identify", "LICENSE"], tmp_path)
    assert proc.returncode == 2 and one_error_line(proc.stderr)


def test_identical_cards_do_not_grow_the_report_quadratically(tmp_path: Path) -> None:
    card = "---\nlicense: mit\nmodel_name: acme/same\nbase_model: nobody/unknown-base\n---\n"
    write_tree(tmp_path / "repo", {f"m{i}/README.md": card for i in range(3_000)})
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert len(proc.stdout) < 5_000_000


def test_a_name_bound_to_a_list_of_itself_is_unfolded_once(tmp_path: Path) -> None:
    # unfolded to the nesting limit, `x = [x, x, ...]` passed to a loader took 8**10 steps (hours)
    source = "x = [" + "x, " * 8 + '"acme/m"]\nm = AutoModel.from_pretrained(x)\n'
    write_tree(tmp_path / "repo", {"app.py": source})
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    model = next(m for m in json.loads(proc.stdout)["models"] if m["model"] == "acme/m")
    assert [(loc["path"], loc["line"]) for loc in model["locations"]] == [("app.py", 1)]
