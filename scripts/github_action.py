"""The reporting half of the GitHub Action (action.yml): from the one JSON report `licencecmp check`
wrote, the SARIF file, the report in the format asked for, the job summary ($GITHUB_STEP_SUMMARY),
the annotations (workflow commands on stdout) and the step outputs ($GITHUB_OUTPUT); exits with
the step's result under the `fail-on` input."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from licencecmp.render.formats import REPORT_FORMATS

SUFFIX = {f.name: f.suffix for f in REPORT_FORMATS}  # every report format, named once in render/formats.py


def _append(env: str, text: str) -> None:
    target = os.environ.get(env)
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(text)


def _outputs(**values: str) -> None:
    _append("GITHUB_OUTPUT", "".join(f"{k}={v}\n" for k, v in values.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit-code", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--format", default="sarif", choices=list(SUFFIX))
    parser.add_argument("--fail-on", default="error", choices=["error", "warning", "never"])
    args = parser.parse_args(argv)

    from licencecmp.render.report import render_report
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
    sarif.write_text(render_report(report, "sarif"), encoding="utf-8")
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
