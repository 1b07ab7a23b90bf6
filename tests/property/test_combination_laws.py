"""Laws of combination: commutative, associative, idempotent; adding an input never removes an
obligation, never loosens a verdict, a threshold or a territorial exclusion. Compatibility is
reflexive."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from licencecmp.data.records import Licence
from licencecmp.reasoning.combination import Combination, Input, Role, combine
from licencecmp.reasoning.compatibility import CompatVerdict, compat

from .strategies import CAT, licences

inputs = st.builds(Input, role=st.sampled_from(list(Role)), licence=st.sampled_from(CAT.ids()))
input_lists = st.lists(inputs, min_size=1, max_size=4)


def _key(c: Combination) -> dict[str, Any]:
    return c.model_dump(mode="json")


@settings(max_examples=40, deadline=None)
@given(input_lists, st.randoms())
def test_commutative(items: list[Input], rnd: random.Random) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert _key(combine(items)) == _key(combine(shuffled))


@settings(max_examples=40, deadline=None)
@given(input_lists, input_lists, input_lists)
def test_associative(a: list[Input], b: list[Input], c: list[Input]) -> None:
    left = combine(list(combine(a + b).inputs) + c)
    right = combine(a + list(combine(b + c).inputs))
    assert _key(left) == _key(right)


@settings(max_examples=40, deadline=None)
@given(input_lists)
def test_idempotent(items: list[Input]) -> None:
    assert _key(combine(items)) == _key(combine(items + items))


@settings(max_examples=40, deadline=None)
@given(input_lists, inputs)
def test_adding_an_input_never_loosens(items: list[Input], extra: Input) -> None:
    from licencecmp.vocab import Action

    # The one exception the texts make: an output-training ban that spares the licence's own
    # derivatives ("excluding Meta Llama 3 or derivative works thereof") stops binding a teacher or
    # data input once the model is built on a base or merged input under that same licence.
    if extra.role in (Role.BASE, Role.MERGE) and any(
            i.licence == extra.licence and i.role in (Role.TEACHER, Role.DATA) for i in items) and \
            CAT.licence(extra.licence).actions[Action.TRAIN_ON_OUTPUTS].own_derivatives_exempt:
        return
    before, after = combine(items), combine([*items, extra])
    for action, d in before.decisions.items():
        a = after.decisions[action]
        assert a.verdict.severity >= d.verdict.severity
        after_obs = {(o.licence, o.key): o.when for o in a.obligations}
        for o in d.obligations:  # still there, and no more conditional than before
            assert (o.licence, o.key) in after_obs
            assert o.when is not None or after_obs[(o.licence, o.key)] is None
    limits_after = {t.metric: t.max for t in after.thresholds}
    for t in before.thresholds:
        assert limits_after[t.metric] <= t.max
    assert set(before.exclusions) <= set(after.exclusions)
    assert {c.kind for c in before.conflicts} <= {c.kind for c in after.conflicts}


@given(licences)
def test_compat_is_reflexive(lic: Licence) -> None:
    assert compat(lic, lic).verdict is CompatVerdict.COMPATIBLE
