"""Crashes: bad input ends with exit 2 and one bounded line on stderr (never exit 3 or a traceback);
odd output streams and signals end cleanly."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fixtures.check.support import write_tree
from tests.hostile.support import SRC, one_error_line, run

LLAMA = "meta-llama/Llama-3.1-8B"
BIG = "9" * 1000
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX")


@posix
@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "markdown", "junit", "github"])
def test_file_names_that_are_not_utf8(tmp_path: Path, cli: Cli, fmt: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    try:
        (root / os.fsdecode(b"bad\xff.py")).write_text(f'"{LLAMA}"\n')
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses non-UTF-8 names")
    code, out, err = cli("check", str(root), "--format", fmt, "--no-progress")
    assert code in (0, 1), err
    out.encode("utf-8")
    if fmt in ("json", "sarif"):
        json.loads(out)
    code, _, err = cli("check", str(root), "--format", fmt, "-o", str(tmp_path / "r.out"), "--no-progress")
    assert code in (0, 1), err


def test_lone_surrogate_escape_in_sbom_json(tmp_path: Path, cli: Cli) -> None:
    text = ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "machine-learning-model", '
            '"name": "acme/\\udcff-model", "licenses": [{"license": {"id": "MIT"}}]}]}')
    write_tree(tmp_path, {"bom.json": text})
    for fmt in ("json", "sarif", "text"):
        code, out, err = cli("check", str(tmp_path), "--format", fmt, "--no-progress")
        assert code in (0, 1), err
        out.encode("utf-8")


def test_deeply_nested_expression_is_one_bounded_line(cli: Cli) -> None:
    expression = "(" * 200 + "mit AND apache-2.0" + ")" * 200
    code, _, err = cli("can", expression, "use")
    assert code == 2 and one_error_line(err)


def test_nested_expression_in_a_policy(tmp_path: Path, cli: Cli) -> None:
    expression = "(" * 300 + "mit" + ")" * 300
    write_tree(tmp_path, {"licencecmp.toml": f'models = [{{id = "acme/x", licence = "{expression}"}}]\n'})
    code, _, err = cli("check", str(tmp_path), "--no-progress")
    assert code == 2 and one_error_line(err)


@pytest.mark.parametrize("policy", [f"mau = {BIG}\n", f"monthly_revenue = {BIG}\n", f"max_file_size = {BIG}\n"])
def test_huge_integers_in_the_policy(tmp_path: Path, cli: Cli, policy: str) -> None:
    write_tree(tmp_path, {"licencecmp.toml": policy + 'models = [{id = "meta-llama/Llama-3.1-8B"}]\n'
                                                     'actions = ["commercial-use"]\n'})
    code, _, err = cli("check", str(tmp_path), "--no-progress")
    assert code == 2 and one_error_line(err)


def test_huge_integer_on_the_command_line(cli: Cli) -> None:
    code, _, err = cli("can", "llama-3.1", "commercial-use", "--mau", BIG)
    assert code == 2 and one_error_line(err)


def test_huge_integer_in_an_sbom(tmp_path: Path, cli: Cli) -> None:
    text = ('{"bomFormat": "CycloneDX", "version": ' + "9" * 5000 + ', "components": []}')
    write_tree(tmp_path, {"bom.json": text})
    code, _, err = cli("check", str(tmp_path), "--no-progress")
    assert code == 2 and one_error_line(err)


def test_tool_that_is_not_a_table_in_pyproject(tmp_path: Path, cli: Cli) -> None:
    write_tree(tmp_path, {"pyproject.toml": "tool = 5\n"})
    code, _, err = cli("check", str(tmp_path), "--no-progress")
    assert code == 0, err


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}])
def test_stdout_that_is_not_utf8(tmp_path: Path, env: dict[str, str]) -> None:
    proc = run(["can", "llama-3.1", "commercial-use"], tmp_path, env=env)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr and not proc.stderr, proc.stderr


@posix
def test_closed_stdout(tmp_path: Path) -> None:
    cmd = f'{sys.executable} -m licencecmp can mit use >&-'
    proc = subprocess.run(["sh", "-c", cmd], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SRC)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr and "Exception" not in proc.stderr


@posix
def test_full_stdout(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError as exc:
        pytest.skip(f"cannot make a device node: {exc}")
    with open(tmp_path / "full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "licencecmp", "can", "mit", "use"], cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120, check=False)
    assert proc.returncode == 2 and one_error_line(proc.stderr), proc.stderr


def _data_dir(tmp_path: Path) -> Path:
    import shutil

    data = tmp_path / "licences"
    shutil.copytree(Path(__file__).resolve().parents[2] / "licences", data)
    return data


@pytest.mark.parametrize("damage", ["wrong-type", "cycle", "fifo", "dev-zero"])
def test_bad_licencecmp_data(tmp_path: Path, damage: str) -> None:
    data = _data_dir(tmp_path)
    territories = data / "_territories.toml"
    if damage == "wrong-type":
        territories.write_text("countries = 5\n")
    elif damage == "cycle":
        with territories.open("a") as fh:
            fh.write('\n[groups.LOOPA]\nname = "A"\nmembers = ["LOOPB"]\n'
                     '[groups.LOOPB]\nname = "B"\nmembers = ["LOOPA"]\n')
    elif os.name != "posix":
        pytest.skip("FIFOs and /dev/zero")
    elif damage == "fifo":
        territories.unlink()
        os.mkfifo(territories)
    else:
        territories.unlink()
        os.symlink("/dev/zero", territories)
    proc = run(["can", "llama-4", "use", "--region", "LOOPA"], tmp_path, env={"LICENCECMP_DATA": str(data)})
    assert proc.returncode == 2 and one_error_line(proc.stderr), proc.stderr


@posix
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_end_with_a_message_and_leave_no_temporary_file(tmp_path: Path, sig: int, code: int) -> None:
    (tmp_path / "repo").mkdir()
    os.mkfifo(tmp_path / "out")  # nobody reads it: the write blocks, and the signal arrives then
    proc = subprocess.Popen([sys.executable, "-m", "licencecmp", "check", "repo", "-o", "out", "--no-progress"],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wchan = Path(f"/proc/{proc.pid}/wchan")
    for _ in range(300):  # until it waits on the FIFO (or 30 s)
        time.sleep(0.1)
        try:
            if "fifo" in wchan.read_text() or "partner" in wchan.read_text():
                break
        except OSError:
            pass
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and one_error_line(err), err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("where", ["card", "sbom"])
def test_an_overlong_model_name_with_a_hf_cache(tmp_path: Path, where: str) -> None:
    """Issue 25, item 16: a 300-character name was looked up as a cache folder (OSError: File name too
    long, exit 3). A name that is not a valid Hub id never reaches the cache or the Hub."""
    from tests.hostile.support import run
    from tests.scan.hfcache_layout import cache_model

    cache = tmp_path / "hf"
    cache_model(cache, "acme/real", {"README.md": "---\nlicense: mit\n---\n"})
    name = "acme/" + "x" * 300
    files = {"README.md": f"---\nlicense: mit\nmodel_name: {name}\nbase_model: {name}\n---\n# m\n"} \
        if where == "card" else \
        {"bom.json": json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
            {"type": "machine-learning-model", "name": name, "licenses": [{"license": {"id": "MIT"}}]}]})}
    for rel, text in files.items():
        (tmp_path / "repo").mkdir(exist_ok=True)
        (tmp_path / "repo" / rel).write_text(text)
    proc = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path, env={"HF_HUB_CACHE": str(cache)})
    assert proc.returncode in (0, 1), proc.stderr
    json.loads(proc.stdout)
