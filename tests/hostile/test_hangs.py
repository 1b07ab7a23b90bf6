"""Hangs and memory: every input under the 5 MiB default is read in linear time and bounded memory.
Each test runs the CLI in a subprocess under a memory cap and a wall-clock stopper (the old code ran
for minutes, for ever, or out of memory). What a test asserts about time is growth, never an absolute
time: the input at a quarter of its size and at its full size, in one run, and the CPU time above
start-up may grow at most twice as fast as the input (support.assert_linear; a quadratic reading
grows sixteen times). The growth tests build inputs of megabytes and run the CLI twice each: they are
the slow tier (tests/tiers.py), which CI runs. Figures: benchmarks/hostile.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.check.support import write_tree
from tests.hostile.support import GROWTH, assert_linear, one_error_line, run
from tests.tiers import SLOW

LLAMA = "meta-llama/Llama-3.1-8B"
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX")


CHECK_JSON = ["check", "repo", "--format", "json", "--no-progress"]
CHECK = ["check", "repo", "--no-progress"]


def _every_location(proc: subprocess.CompletedProcess[str], n: int) -> None:
    assert proc.returncode in (0, 1), proc.stderr
    locations = json.loads(proc.stdout)["models"][0]["locations"]
    assert len(locations) == n


@SLOW
def test_many_ids_in_one_file(tmp_path: Path) -> None:
    def build(root: Path, n: int) -> None:
        write_tree(root / "repo", {"ids.py": f'"{LLAMA}"\n' * n})  # 4 MB at 150,000

    def check(proc: subprocess.CompletedProcess[str], n: int) -> None:
        _every_location(proc, n)
        assert json.loads(proc.stdout)["models"][0]["locations"][-1]["line"] == n

    assert_linear(tmp_path, build, 150_000, CHECK_JSON, check)


@SLOW
def test_many_cyclonedx_components(tmp_path: Path) -> None:
    def build(root: Path, n: int) -> None:
        comps = [{"type": "machine-learning-model", "name": "acme/m", "bom-ref": f"r{i}",
                  "licenses": [{"license": {"id": "MIT"}}]} for i in range(n)]  # 4.4 MB at 40,000
        write_tree(root / "repo", {"bom.json": json.dumps({"bomFormat": "CycloneDX", "components": comps})
                                   .replace("}, {", "},\n{")})

    assert_linear(tmp_path, build, 40_000, CHECK_JSON, _every_location)


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


def _exit_0(proc: subprocess.CompletedProcess[str], n: int) -> None:
    assert proc.returncode == 0, proc.stderr


@SLOW
def test_spdx_tag_value_is_linear(tmp_path: Path) -> None:
    def build(root: Path, n: int) -> None:
        write_tree(root / "repo", {"doc.spdx": _tag_value(n)})  # 700 KB at 5,000: 6 minutes before

    assert_linear(tmp_path, build, 5_000, CHECK, _exit_0)


@SLOW
@pytest.mark.parametrize("where", ["gitignore", "exclude"])
def test_wildcard_patterns_do_not_backtrack(tmp_path: Path, where: str) -> None:
    def build(root: Path, n: int) -> None:
        pattern = "*a" * n + "*b"  # backtracking matchers take time exponential in n
        files: dict[str, str | bytes] = {"a" * 200 + ".py": "x = 1\n"}
        if where == "gitignore":
            files[".gitignore"] = pattern + "\n"
        else:
            files["licencecmp.toml"] = f"exclude = [{json.dumps(pattern)}]\n"
        write_tree(root / "repo", files)

    assert_linear(tmp_path, build, 32, CHECK, _exit_0)


@SLOW
def test_policy_key_index_is_linear(tmp_path: Path) -> None:
    def build(root: Path, n: int) -> None:
        text = 'description = """\n[[' + " " * n + 'x\n"""\n[tool.licencecmp]\nactions = ["use"]\nmau = "x"\n'
        write_tree(root / "repo", {"pyproject.toml": text})

    def check(proc: subprocess.CompletedProcess[str], n: int) -> None:
        assert proc.returncode == 2 and one_error_line(proc.stderr)

    assert_linear(tmp_path, build, 4_000, CHECK, check)


@SLOW
def test_yaml_sniffing_is_linear_on_blank_lines(tmp_path: Path) -> None:
    def build(root: Path, n: int) -> None:
        write_tree(root / "repo", {f"conf{i}.yaml": "\n" * n + f"model: {LLAMA}\n" for i in range(20)})

    def check(proc: subprocess.CompletedProcess[str], n: int) -> None:
        assert proc.returncode in (0, 1) and LLAMA in proc.stdout, proc.stderr

    assert_linear(tmp_path, build, 65_536, CHECK, check)


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


@SLOW
def test_identical_cards_do_not_grow_the_report_quadratically(tmp_path: Path) -> None:
    card = "---\nlicense: mit\nmodel_name: acme/same\nbase_model: nobody/unknown-base\n---\n"
    sizes: dict[int, int] = {}

    def build(root: Path, n: int) -> None:
        write_tree(root / "repo", {f"m{i}/README.md": card for i in range(n)})

    def check(proc: subprocess.CompletedProcess[str], n: int) -> None:
        assert proc.returncode in (0, 1), proc.stderr
        sizes[n] = len(proc.stdout)

    assert_linear(tmp_path, build, 3_000, CHECK_JSON, check)
    assert sizes[3_000] < 5_000_000 and sizes[3_000] <= 2 * GROWTH * sizes[3_000 // GROWTH], sizes


@pytest.mark.parametrize(("work", "passes"), [(lambda n: 0.01 * n, True), (lambda n: 0.001 * n * n, False),
                                              (lambda n: 0.0, True)], ids=["linear", "quadratic", "no-work"])
def test_the_growth_check_passes_linear_work_and_fails_quadratic_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, work: Any, passes: bool) -> None:
    from tests.hostile import support

    def fake_run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
        n = len((cwd / "repo" / "a.py").read_text(encoding="utf-8"))
        return subprocess.CompletedProcess(args, 0, "", ""), 0.5 + work(n)

    monkeypatch.setattr(support, "cpu_run", fake_run)
    monkeypatch.setattr(support, "_START_UP", [0.5])

    def build(root: Path, n: int) -> None:
        write_tree(root / "repo", {"a.py": "x" * n})

    def check(proc: subprocess.CompletedProcess[str], n: int) -> None:
        assert proc.returncode == 0

    if passes:
        assert_linear(tmp_path, build, 400, CHECK, check)
    else:
        with pytest.raises(AssertionError, match=r"took 16\.0x the CPU"):
            assert_linear(tmp_path, build, 400, CHECK, check)


def test_a_name_bound_to_a_list_of_itself_is_unfolded_once(tmp_path: Path) -> None:
    # unfolded to the nesting limit, `x = [x, x, ...]` passed to a loader took 8**10 steps (hours)
    source = "x = [" + "x, " * 8 + '"acme/m"]\nm = AutoModel.from_pretrained(x)\n'
    write_tree(tmp_path / "repo", {"app.py": source})
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    model = next(m for m in json.loads(proc.stdout)["models"] if m["model"] == "acme/m")
    assert [(loc["path"], loc["line"]) for loc in model["locations"]] == [("app.py", 1)]
