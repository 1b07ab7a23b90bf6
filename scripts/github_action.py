"""The reporting half of the GitHub Action (action.yml): from the one JSON report `licencecmp check`
wrote, the SARIF file, the report in the format asked for, the job summary ($GITHUB_STEP_SUMMARY),
the annotations (workflow commands on stdout) and the step outputs ($GITHUB_OUTPUT); exits with
the step's result under the `fail-on` input."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from licencecmp.render.formats import REPORT_FORMATS

SUFFIX = {f.name: f.suffix for f in REPORT_FORMATS}  # every report format, named once in render/formats.py
FAIL_ON = ("error", "warning", "never")
MAX_REV = 256


def _append(env: str, text: str) -> None:
    target = os.environ.get(env)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(text)


def _outputs(**values: str) -> None:
    _append("GITHUB_OUTPUT", "".join(f"{k}={v}\n" for k, v in values.items()))


def _escape(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (an input cannot start a new command)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _docs() -> str | None:
    """The rules page of the action's own repository at the commit it runs (GitHub sets these for a
    step of an action; ACTION_REPOSITORY and ACTION_REF come from action.yml)."""
    from licencecmp.render.sarif import docs_url

    repository = os.environ.get("ACTION_REPOSITORY", "")
    ref = os.environ.get("ACTION_REF", "")
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    if not repository or not ref:
        # inside a composite action these may be empty; the runner checks the action out at
        # .../_actions/OWNER/REPO/REF, which says the same
        parts = Path(os.environ.get("ACTION_PATH", "")).parts
        if "_actions" in parts and len(parts) >= parts.index("_actions") + 4:
            i = parts.index("_actions")
            repository, ref = f"{parts[i + 1]}/{parts[i + 2]}", parts[i + 3]
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository) or not re.fullmatch(r"[\w./-]+", ref):
        return None
    return docs_url(server, repository, ref)


def input_problems(env: dict[str, str]) -> list[str]:
    """What is wrong with the action's inputs (INPUT_* variables), before anything runs."""
    from licencecmp.render.report import REPORT_FORMATS

    problems = []
    fmt = env.get("INPUT_FORMAT", "sarif")
    if fmt not in REPORT_FORMATS:
        problems.append(f"format: {fmt!r} is not a format of licencecmp check ({', '.join(REPORT_FORMATS)})")
    fail_on = env.get("INPUT_FAIL_ON", "error")
    if fail_on not in FAIL_ON:
        problems.append(f"fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    online = env.get("INPUT_ONLINE", "false")
    if online not in ("true", "false"):
        problems.append(f"online: {online!r} is not true or false")
    path = env.get("INPUT_PATH", ".") or "."
    if not Path(path).is_dir():
        problems.append(f"path: {path!r} is not a folder of the workspace")
    policy = env.get("INPUT_POLICY", "")
    if policy and not Path(policy).is_file():
        problems.append(f"policy: {policy!r} is not a file")
    since = env.get("INPUT_SINCE", "")
    if since and (since.startswith("-") or len(since) > MAX_REV or any(c.isspace() or ord(c) < 32 for c in since)):
        problems.append(f"since: {since[:80]!r} is not a git revision")
    return problems


def validate(env: dict[str, str]) -> int:
    """Exit 2 with an error annotation per bad input and verdict=error; 0 when all are valid."""
    problems = input_problems(env)
    if not problems:
        return 0
    for p in problems:
        sys.stdout.write(f"::error title=licencecmp input::{_escape(p)}\n")
    shown = [p.replace("`", "'") for p in problems]
    _append("GITHUB_STEP_SUMMARY", "## licencecmp check\n\n" + "".join(f"- **input error**: `{p}`\n" for p in shown))
    _outputs(report="", sarif="", verdict="error", **{"exit-code": "2"})
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--validate", action="store_true", help="check the INPUT_* variables, run nothing")
    parser.add_argument("--exit-code", type=int)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--format", default="sarif", choices=sorted(SUFFIX))
    parser.add_argument("--fail-on", default="error", choices=FAIL_ON)
    args = parser.parse_args(argv)
    if args.validate:
        return validate(dict(os.environ))
    if args.exit_code is None or args.dir is None:
        parser.error("--exit-code and --dir are required (or --validate)")

    from licencecmp.render.report import render_report
    from licencecmp.render.sarif import report_sarif
    from licencecmp.scan.check import CheckReport

    json_path = args.dir / "report.json"
    if not json_path.is_file() or json_path.stat().st_size == 0:  # the check could not run (a broken policy)
        stderr = (args.dir / "stderr.txt").read_text(encoding="utf-8", errors="replace").strip()
        message = stderr.splitlines()[-1] if stderr else f"licencecmp check exited with {args.exit_code}"
        _append("GITHUB_STEP_SUMMARY", f"## licencecmp check\n\n**error**: {message}\n")
        _outputs(report="", sarif="", verdict="error", **{"exit-code": str(args.exit_code)})
        return args.exit_code or 2
    report = CheckReport.model_validate_json(json_path.read_text(encoding="utf-8"))
    sarif = args.dir / "licencecmp.sarif"
    sarif.write_text(report_sarif(report, _docs()), encoding="utf-8")
    path = args.dir / f"licencecmp.{SUFFIX[args.format]}"
    if args.format not in ("sarif", "json"):
        path.write_text(render_report(report, args.format), encoding="utf-8")
    elif args.format == "json":
        path = json_path
    _append("GITHUB_STEP_SUMMARY", render_report(report, "markdown"))
    sys.stdout.write(render_report(report, "github"))
    warnings = any(f.level == "warning" and f.waived_by is None for f in report.findings)
    code = report.exit_code
    verdict = {0: "warn" if warnings else "pass", 1: "fail"}.get(code, "error")
    _outputs(report=str(path), sarif=str(sarif), verdict=verdict, **{"exit-code": str(code)})
    if code == 2:
        return 2
    if args.fail_on == "never":
        return 0
    if args.fail_on == "warning" and warnings:
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
