"""`policy init --from-scan`: the proposed policy validates, and no scanned name can break out of a comment."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from licencecmp.scan.check import run_check
from licencecmp.scan.policy import Policy, load_policy
from licencecmp.scan.proposal import proposal_text, propose_policy
from licencecmp.vocab import Action

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_hostile_names_stay_inside_comments(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "tests").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "tests" / "t.py").write_text('AutoModel.from_pretrained("acme/test-only")\n')
    (repo / "src" / 'x\nactions = []\n#.py').write_text('AutoModel.from_pretrained("acme/app-model")\n')
    (repo / "src" / "nc.py").write_text('AutoModel.from_pretrained("black-forest-labs/FLUX.1-dev")\n')
    report = run_check(repo, Policy(actions=[Action.USE, Action.COMMERCIAL_USE]))
    proposal = propose_policy(report, dt.date(2026, 12, 7))
    text = proposal_text(report, proposal)
    data = tomllib.loads(text)
    assert data == {"actions": ["use", "commercial-use"], "exclude": ["/tests/"]}
    assert [m.model for m in proposal.decide] == ["acme/app-model", "black-forest-labs/FLUX.1-dev"]
    assert "# expires = 2027-03-07" in text
    path = tmp_path / "licencecmp.toml"
    path.write_text(text)
    assert load_policy(path)[0].exclude == ["/tests/"]
