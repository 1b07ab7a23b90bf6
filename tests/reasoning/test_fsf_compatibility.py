"""The software matrix against the FSF's licence list (gnu.org/licenses/license-list.html) and the
texts' own "no further restrictions" rules (issue 22).

Each pair here changed from `conditional` to `incompatible`: a patent-termination term keeps binding
every recipient, and GPL-2.0 section 6 / LGPL-2.1 section 10 forbid further restrictions; GPL-3.0,
AGPL-3.0 and LGPL-3.0 section 10 carry a patent term of their own that reaches as far as Apache-2.0's
and ECL-2.0's (the FSF lists both as compatible with GPLv3), but not AFL-3.0's, which ends every right
(the FSF lists AFL, all versions, as incompatible with the GPL). The pairs that stay as they were are
checked too, so that a change in the rule cannot move them silently.
"""

from __future__ import annotations

import pytest

import licencecmp
from licencecmp.reasoning.compatibility import CompatVerdict, compat
from tests.conftest import Cli

CAT = licencecmp.catalogue()

INCOMPATIBLE_NOW = [
    ("apache-2.0", "gpl-2.0"),  # FSF: "not compatible with GPL version 2" (patent termination, indemnity)
    ("apache-2.0", "lgpl-2.1"),  # LGPL-2.1 section 10: the same "no further restrictions" sentence
    ("ecl-2.0", "gpl-2.0"),  # FSF: ECL 2.0 is compatible with GPLv3, not GPLv2 (Apache-based)
    ("ecl-2.0", "lgpl-2.1"),
    ("afl-3.0", "gpl-2.0"),  # FSF: AFL, all versions through 3.0, incompatible with the GNU GPL
    ("afl-3.0", "gpl-3.0"),
    ("afl-3.0", "agpl-3.0"),
    ("afl-3.0", "lgpl-2.1"),
    ("afl-3.0", "lgpl-3.0"),
]

STILL_CONDITIONAL = [
    ("apache-2.0", "gpl-3.0"),  # FSF: compatible with GPLv3
    ("apache-2.0", "agpl-3.0"),
    ("apache-2.0", "lgpl-3.0"),
    ("ecl-2.0", "gpl-3.0"),
    ("apache-2.0", "mit"),  # no rule against further restrictions: the patent term stays beside
    ("afl-3.0", "apache-2.0"),
    ("mit", "gpl-2.0"),  # FSF: Expat, X11, BSD (2, 3), ISC, zlib, Boost, NCSA are GPL-compatible
    ("bsd-2-clause", "gpl-2.0"),
    ("bsd-3-clause", "gpl-2.0"),
    ("isc", "gpl-2.0"),
    ("zlib", "gpl-2.0"),
    ("bsl-1.0", "gpl-2.0"),
    ("ncsa", "gpl-2.0"),
    ("mit", "gpl-3.0"),
]


@pytest.mark.parametrize(("upstream", "outbound"), INCOMPATIBLE_NOW)
def test_a_patent_termination_is_a_further_restriction(upstream: str, outbound: str) -> None:
    r = compat(CAT.get(upstream), CAT.get(outbound))
    assert r.verdict is CompatVerdict.INCOMPATIBLE
    cited = {(x.licence, x.section) for x in r.reasons if x.effect is CompatVerdict.INCOMPATIBLE}
    patent_section = {"apache-2.0": "3", "ecl-2.0": "3", "afl-3.0": "10"}[upstream]
    restriction_section = {"gpl-2.0": "6", "lgpl-2.1": "10"}.get(outbound, "10")
    assert (upstream, patent_section) in cited and (outbound, restriction_section) in cited
    assert all(x.quote for x in r.reasons)


@pytest.mark.parametrize(("upstream", "outbound"), STILL_CONDITIONAL)
def test_compatible_pairs_stay_conditional(upstream: str, outbound: str) -> None:
    assert compat(CAT.get(upstream), CAT.get(outbound)).verdict is CompatVerdict.CONDITIONAL


def test_compat_apache_gpl2_only_cli(cli: Cli) -> None:
    code, out, _ = cli("compat", "apache-2.0", "gpl-2.0-only")
    assert code == 1 and "incompatible" in out and "further restrictions" in out
