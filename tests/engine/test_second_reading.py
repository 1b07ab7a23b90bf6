"""Second reading (issues 24 and 27) of the licences encoded from the 2026-12-07 batch of texts: each case
is a change the reader made against the text, and failed before it."""

from __future__ import annotations

from typing import Any

import pytest

import licencecmp
from licencecmp import Verdict


def _keys(licence: str, action: str, **facts: Any) -> set[str]:
    return {ob.key for ob in licencecmp.can(licence, action, **facts).obligations}


# CPML grants "for any non-commercial purpose" and says non-commercial purposes "include" the listed uses: the list
# is not closed, so unpaid teaching is neither clearly inside nor outside it (FLUX.1 [dev], whose definition says
# "means", stays closed).
@pytest.mark.parametrize("action", ["use", "modify", "distribute", "serve", "train-on-outputs"])
def test_cpml_education_is_unclear_not_refused(action: str) -> None:
    assert licencecmp.can("coqui-cpml-1.0", action, purpose="education").verdict is Verdict.UNCLEAR


@pytest.mark.parametrize(("purpose", "verdict"), [("research", Verdict.CONDITIONAL), ("personal", Verdict.CONDITIONAL),
                                                  ("commercial", Verdict.PROHIBITED)])
def test_cpml_listed_purposes_keep_their_answers(purpose: str, verdict: Verdict) -> None:
    assert licencecmp.can("coqui-cpml-1.0", "use", purpose=purpose).verdict is verdict


def test_flux_dev_closed_list_still_refuses_education() -> None:
    assert not licencecmp.can("flux-1-dev-nc", "use", purpose="education").verdict.permits


def test_cpml_use_tells_whoever_shares_outputs_to_pass_the_terms_on() -> None:
    # "anyone who gets ... their output, from you also gets a copy of these terms or the URL"
    assert "notices" in _keys("coqui-cpml-1.0", "use")
    assert "notices" not in _keys("coqui-cpml-1.0", "use", release=False)


@pytest.mark.parametrize("licence", ["dots-ocr", "dots-mocr"])
def test_dots_revision_duty_binds_training_on_outputs(licence: str) -> None:
    # Section 9 ends "all rights granted under this Agreement" unless the licensee migrates to a revised version.
    assert "accept-revisions" in _keys(licence, "train-on-outputs")


@pytest.mark.parametrize("licence", ["ltx-2-community", "ltx-2.x-community"])
def test_ltx_revenue_line_is_exact_on_the_stated_figure(licence: str) -> None:
    """"at least $10,000,000": a figure below it, a fraction included, is within; 10,000,000 is not."""
    below = licencecmp.can(licence, "use", org_annual_revenue=9_999_999.5, commercial=True)
    at = licencecmp.can(licence, "use", org_annual_revenue=10_000_000, commercial=True)
    assert below.verdict is not Verdict.NEEDS_PERMISSION and at.verdict is Verdict.NEEDS_PERMISSION
