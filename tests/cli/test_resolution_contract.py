"""One resolution, everywhere (issue 27): every command that takes a model id answers for a
re-upload of a registry model, a model in the local Hugging Face cache and, with ``--online``
(or ``LICENCECMP_ONLINE=1``), a model only the Hub knows (the loopback stand-in), and says in every
format where the licence came from; ``licencecmp resolve`` prints it with the base models; an
unknown model says what to do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.scan.hfcache_layout import cache_model
from tests.scan.hubstub import hub_stub, model_json

REUPLOAD = "bartowski/Llama-3.2-3B-Instruct-GGUF"
REUPLOAD_OF = "meta-llama/Llama-3.2-3B-Instruct"
CACHED = "acme/cached-model"
CACHED_FT = "acme/cached-finetune"
HUB_ONLY = "acme/hub-only"
BASE = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A local cache with two models, the current folder outside any repository with a lock,
    and the loopback Hub answering for one more; yields the Hub's address."""
    cache = tmp_path / "hub-cache"
    cache_model(cache, CACHED, {"README.md": "---\nlicense: apache-2.0\n---\n# cached\n"})
    cache_model(cache, CACHED_FT, {"README.md": f"---\nlicense: llama3.1\nbase_model: {BASE}\n"
                                                "base_model_relation: finetune\n---\n"})
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    work = tmp_path / "work"
    work.mkdir()
    (work / ".git").mkdir()
    monkeypatch.chdir(work)
    answers = {HUB_ONLY: (200, model_json(HUB_ONLY, "mit", sha="c" * 40), 0.0)}
    with hub_stub(answers) as (url, _seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        yield url


# (model id, extra flags, the resolution every answer must name)
CASES = [(REUPLOAD, [], "inferred"), (CACHED, [], "cache"), (HUB_ONLY, ["--online"], "hub")]


def _resolved(data: dict[str, object]) -> list[dict[str, object]]:
    resolved = data["resolved"]
    assert isinstance(resolved, list)
    return resolved


@pytest.mark.parametrize(("model", "flags", "how"), CASES, ids=[c[2] for c in CASES])
def test_every_command_answers_and_names_the_source(cli: Cli, env: str, model: str, flags: list[str],
                                                    how: str) -> None:
    code, out, err = cli("can", model, "use", *flags, "--format", "json")
    assert code == 0 and not err, err
    decision = json.loads(out)
    (p,) = _resolved(decision)
    assert p["model"] == model and p["resolution"] == how and decision["model"] == model
    if how == "inferred":
        assert p["inferred_from"] == REUPLOAD_OF
        bases = p["base_models"]
        assert isinstance(bases, list) and [b["id"] for b in bases] == [REUPLOAD_OF]
    if how == "hub":
        assert p["source"] and "c" * 40 in str(p["source"])
    code, out, _ = cli("can", model, "use", *flags)
    assert code == 0 and f"licence source: {model}" in out and f"(resolution: {how})" in out

    for args in (["show", model], ["compat", model, "mit"], ["openness", model], ["combine", "--base", model],
                 ["compare", model, "mit", "-a", "use"], ["matrix", model, "mit"]):
        code, out, err = cli(*args, *flags, "--format", "json")
        assert code in (0, 1) and not err, (args, err)
        data = json.loads(out)
        assert [(x["model"], x["resolution"]) for x in _resolved(data)] == [(model, how)], args
        code, out, err = cli(*args, *flags)
        assert code in (0, 1) and not err, (args, err)
        assert model in out and how in out, args

    code, out, _ = cli("resolve", model, *flags, "--format", "json")
    (r,) = json.loads(out)["models"]
    assert code == 0 and r["source"] == how and r["licences"]
    code, out, _ = cli("resolve", model, *flags)
    assert code == 0 and f"resolution: {how}" in out


def test_online_from_the_environment(cli: Cli, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = cli("can", HUB_ONLY, "use")
    assert code == 2 and "--online" in err  # offline unless asked
    monkeypatch.setenv("LICENCECMP_ONLINE", "1")
    code, out, _ = cli("can", HUB_ONLY, "use", "-f", "json")
    assert code == 0 and json.loads(out)["resolved"][0]["resolution"] == "hub"


def test_hub_offline_wins(cli: Cli, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, _, err = cli("can", HUB_ONLY, "use", "--online")
    assert code == 2 and "HF_HUB_OFFLINE" in err


def test_unknown_model_shows_the_way_forward(cli: Cli, env: str) -> None:
    code, out, err = cli("can", "acme/nothing-like-it", "use")
    assert code == 2 and out == "" and err.count("\n") == 1
    for hint in ("--online", "licencecmp resolve acme/nothing-like-it --online", "licence id", "licencecmp lock"):
        assert hint in err
    assert "did you mean" not in err  # nothing close
    code, _, err = cli("show", "meta-lama/Llama-3.1-8B-Instruct")  # a typo the family rules do not cover
    assert code == 2 and "did you mean meta-llama/Llama-3.1-8B-Instruct" in err


def test_unavailable_licence_is_named_not_a_near_miss(cli: Cli) -> None:
    import licencecmp

    u = next(iter(licencecmp.catalogue().unavailable.values()))
    for name in (u["id"], u["title"], u["id"] + "x"):
        code, _, err = cli("can", name, "use")
        assert code == 2 and "is not in the catalogue" in err and u["id"] in err and "did you mean" not in err


def test_resolve_lineage_and_exit_codes(cli: Cli, env: str) -> None:
    code, out, _ = cli("resolve", CACHED_FT, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "--format", "json")
    ft, distill = json.loads(out)["models"]
    assert code == 0
    # a fine-tune under its base's own licence keeps its base id
    assert ft["source"] == "cache" and ft["licences"] == ["llama-3.1"] and ft["upstream"] == []
    assert [(b["id"], b["licences"], b["resolution"], b["relation"]) for b in ft["base_models"]] == [
        (BASE, ["llama-3.1"], "registry", "finetune")]
    assert distill["base_models"][0]["id"] == "meta-llama/Llama-3.1-8B"
    code, out, _ = cli("resolve", CACHED_FT)
    assert f"base models:\n    {BASE} (llama-3.1; registry; finetune)" in out
    assert cli("resolve", CACHED, "acme/unknown-thing")[0] == 1
    assert cli("resolve", "../etc/passwd")[0] == 2
    assert cli("resolve", "mit")[0] == 0


def test_check_lists_base_models_and_keeps_a_same_licence_base(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text(f"---\nlicense: llama3.1\nbase_model: {BASE}\n"
                                        "base_model_relation: finetune\n---\n# my fine-tune\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(f'm = AutoModel.from_pretrained("{REUPLOAD}")\n', encoding="utf-8")
    code, out, _ = cli("check", str(tmp_path), "--format", "json")
    assert code == 0
    models = {m["model"]: m for m in json.loads(out)["models"]}
    card = next(m for name, m in models.items() if name != REUPLOAD)
    assert card["upstream"] == [] and [b["id"] for b in card["base_models"]] == [BASE]
    assert card["base_models"][0]["relation"] == "finetune"
    reup = models[REUPLOAD]
    assert reup["resolution"] == "inferred" and reup["base_models"][0]["id"] == REUPLOAD_OF
    out = cli("check", str(tmp_path)).out
    assert f"base model {BASE} (llama-3.1)" in out


def test_the_policy_and_the_lock_of_the_repository_answer(cli: Cli, env: str, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    work = Path.cwd()
    (work / "licencecmp.toml").write_text('[[models]]\nid = "acme/private"\nlicence = "apache-2.0"\n',
                                          encoding="utf-8")
    code, out, _ = cli("can", "acme/private", "use", "-f", "json")
    assert code == 0 and json.loads(out)["resolved"][0]["resolution"] == "override"
    (work / "app.py").write_text(f'm = AutoModel.from_pretrained("{CACHED}")\n', encoding="utf-8")
    assert cli("lock", str(work))[0] == 0 and (work / "licencecmp.lock").is_file()
    sub = work / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, out, _ = cli("resolve", CACHED, "-f", "json")
    assert code == 0 and json.loads(out)["models"][0]["source"] == "lock"


def test_a_model_under_an_unavailable_licence_is_named(cli: Cli, env: str, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    import licencecmp

    u = next(iter(licencecmp.catalogue().unavailable.values()))
    cache = tmp_path / "other-cache"
    cache_model(cache, "acme/under-unavailable", {"README.md": f"---\nlicense: other\nlicense_name: {u['id']}\n---\n"})
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    code, _, err = cli("can", "acme/under-unavailable", "use")
    assert code == 2 and "is not in the catalogue" in err and u["id"] in err
    code, out, _ = cli("resolve", "acme/under-unavailable", "-f", "json")
    (r,) = json.loads(out)["models"]
    assert code == 1 and r["source"] == "unknown" and u["id"] in r["reason"]
