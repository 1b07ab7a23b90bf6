"""The README's Python example runs as written."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT, Cli


def test_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```(?:sh|console)\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            line = line.removeprefix("$ ").split("  #")[0].strip()
            if line.startswith("licencecmp ") and not re.search(r"path/to|\.\.\.|[A-Z]{3,}", line):
                commands.append(line)
    return commands


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_commands_run(command: str, cli: Cli) -> None:
    code, _, err = cli(*shlex.split(command)[1:])
    assert code in (0, 1), err
    assert "Traceback" not in err
