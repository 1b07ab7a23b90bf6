"""The resolution chain (issue 15): registry, override, lock, card, cache, hub, inferred, unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from licencecmp.data.catalogue import default_catalogue
from licencecmp.scan.check import CHECK_SCHEMA_VERSION, run_check
from licencecmp.scan.policy import Policy
from licencecmp.scan.resolution import infer_reupload, resolve_model, strip_build_suffixes
from tests.scan.hfcache_layout import cache_model
from tests.scan.hubstub import hub_stub, model_json
from tests.scan.repos import APP_FILES, write

CAT = default_catalogue()
LLAMA_32 = "meta-llama/Llama-3.2-3B-Instruct"


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    for var in ("HF_HUB_OFFLINE", "LICENCECMP_ONLINE", "HF_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # never the real Hub, even by mistake


def _registry_id_of(licence: str) -> str:
    return next(m.id for m in CAT.models() if m.licence == licence and not m.upstream)


def test_registry_first() -> None:
    mid = _registry_id_of("mit")
    res = resolve_model(mid, cat=CAT)
    assert res.resolution == "registry" and res.licences == ("mit",)


@pytest.mark.parametrize("name", ["bartowski/Llama-3.2-3B-Instruct-GGUF", "unsloth/Llama-3.2-3B-Instruct-bnb-4bit",
                                  "mlx-community/Llama-3.2-3B-Instruct-4bit", "someone/Llama-3.2-3B-Instruct-AWQ"])
def test_reuploads_are_inferred(name: str) -> None:
    res = resolve_model(name, cat=CAT)
    assert res.resolution == "inferred" and res.inferred_from == LLAMA_32
    assert res.licences == (CAT.model(LLAMA_32).licence,)


def test_no_inference_without_a_reupload_sign_or_a_unique_match() -> None:
    assert infer_reupload("some-user/Llama-3.2-3B-Instruct", CAT) is None  # no suffix, unknown org
    assert infer_reupload("bartowski/No-Such-Model-GGUF", CAT) is None
    assert strip_build_suffixes("x-Q4_K_M-GGUF") == ("x", True)


def test_unknown_has_a_reason_and_fails_the_check(tmp_path: Path) -> None:
    res = resolve_model("acme-corp/private-thing", cat=CAT)
    assert res.resolution == "unknown" and not res.licences and res.reason and "--online" in res.reason
    write(tmp_path, {"app.py": 'm = AutoModel.from_pretrained("acme-corp/private-thing")\n'})
    report = run_check(tmp_path, Policy(), cat=CAT)
    (m,) = report.models
    assert m.resolution == "unknown" and m.reason and report.exit_code == 1
    assert [f.kind for f in report.findings if f.failing] == ["unknown-licence"]
    warn = run_check(tmp_path, Policy(unknown="warn"), cat=CAT)
    assert warn.exit_code == 0 and warn.models[0].status == "warn"


def test_override_names_the_licence(tmp_path: Path) -> None:
    write(tmp_path, {"app.py": 'm = AutoModel.from_pretrained("acme-corp/private-thing")\n',
                     "licencecmp.toml": '[[models]]\nid = "acme-corp/private-thing"\nlicence = "apache-2.0"\n'})
    from licencecmp.scan.policy import load_policy

    policy, source = load_policy(tmp_path / "licencecmp.toml", CAT)
    report = run_check(tmp_path, policy, source, cat=CAT)
    (m,) = report.models
    assert m.resolution == "override" and m.licences == ("apache-2.0",) and report.exit_code == 0


def test_cache_card_and_licence_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import scan_cache_dir

    cache = tmp_path / "hub"
    cache_model(cache, "acme/cached-card", {"README.md": "---\nlicense: apache-2.0\n---\n# x\n",
                                            "config.json": "{}"})
    mit = ("MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person "
           "obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the "
           "Software without restriction, including without limitation the rights to use, copy, modify, merge, "
           "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the "
           "Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and "
           "this permission notice shall be included in all copies or substantial portions of the Software.\n\n"
           "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT "
           "LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN "
           "NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, "
           "WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE "
           "SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n")
    cache_model(cache, "acme/cached-licence", {"LICENSE": mit, "README.md": "# no front matter\n"})
    cache_model(cache, "acme/cached-other", {"README.md": "---\nlicense: other\nlicense_name: acme-eula\n---\n"})
    info = scan_cache_dir(cache)  # the layout is the one huggingface_hub writes and reads
    assert {r.repo_id for r in info.repos} == {"acme/cached-card", "acme/cached-licence", "acme/cached-other"}
    assert not info.warnings
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    card = resolve_model("acme/cached-card", cat=CAT)
    assert card.resolution == "cache" and card.licences == ("apache-2.0",) and card.sha
    other = resolve_model("acme/cached-other", cat=CAT)
    assert other.resolution == "unknown" and other.reason and "acme-eula" in other.reason
    lic = resolve_model("acme/cached-licence", cat=CAT)
    assert lic.resolution == "cache" and lic.licences == ("mit",)


def test_cache_through_hf_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    cache_model(tmp_path / "home" / "hub", "acme/x", {"README.md": "---\nlicense: mit\n---\n"})
    assert resolve_model("acme/x", cat=CAT).resolution == "cache"


def test_hub_answers_only_online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {
        "acme/on-hub": (200, model_json("acme/on-hub", "apache-2.0", sha="b" * 40), 0.0),
        "acme/gated": (401, {"error": "Access to model acme/gated is restricted."}, 0.0),
        "acme/forbidden": (403, {"error": "forbidden"}, 0.0),
        "acme/slow": (200, model_json("acme/slow", "mit"), 2.0),
        "acme/llama-ft": (200, model_json("acme/llama-ft", "apache-2.0", base="meta-llama/Llama-3.1-8B"), 0.0),
    }
    with hub_stub(answers) as (url, seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        assert resolve_model("acme/on-hub", cat=CAT).resolution == "unknown" and not seen  # offline by default
        res = resolve_model("acme/on-hub", cat=CAT, online=True)
        assert res.resolution == "hub" and res.licences == ("apache-2.0",) and res.sha == "b" * 40
        assert "/api/models/acme/on-hub" in seen
        for mid, word in (("acme/missing", "404"), ("acme/gated", "401"), ("acme/forbidden", "403")):
            res = resolve_model(mid, cat=CAT, online=True)
            assert res.resolution == "unknown" and res.reason and word in res.reason
        from licencecmp.scan.hub import fetch_one

        slow = fetch_one("acme/slow", timeout=0.3, retries=1, backoff=0.01)
        assert slow.facts is None and slow.reason and "could not be reached" in slow.reason
        conflict = resolve_model("acme/llama-ft", cat=CAT, online=True)
        assert conflict.conflicts and conflict.conflicts[0].base_licence == "llama-3.1"
        assert "llama-3.1" in conflict.upstream
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        before = len(seen)
        off = resolve_model("acme/on-hub", cat=CAT, online=True)
        assert off.resolution == "unknown" and off.reason and "HF_HUB_OFFLINE" in off.reason and len(seen) == before


def test_relicensed_finetune_is_a_licence_conflict(tmp_path: Path) -> None:
    card = "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: finetune\n---\n"
    write(tmp_path, {"README.md": card})
    report = run_check(tmp_path, Policy(), cat=CAT)
    kinds = [f.kind for f in report.findings if f.failing]
    assert kinds == ["licence-conflict"] and report.exit_code == 1
    (m,) = report.models
    assert m.resolution == "card" and "llama-3.1" in m.upstream


def test_the_app_offline(tmp_path: Path) -> None:
    report = run_check(write(tmp_path, APP_FILES), Policy(), cat=CAT)
    by = {m.model.casefold(): m for m in report.models}
    assert by["unsloth/llama-3.2-3b-instruct-bnb-4bit"].resolution == "inferred"
    assert by["bartowski/llama-3.2-3b-instruct-gguf"].inferred_from == LLAMA_32
    assert by["acme-corp/private-classifier"].resolution == "unknown"
    assert report.exit_code == 1
    data = json.loads(report.model_dump_json())
    assert data["schema_version"] == CHECK_SCHEMA_VERSION and all("resolution" in m for m in data["models"])
    assert all(f["kind"] for f in data["findings"])


# -- issue 27: today's re-uploaders' names, one chain for every answer, lineage as a graph ------------

TODAY = [
    ("bartowski/meta-llama_Llama-3.2-3B-Instruct-GGUF", LLAMA_32),
    ("bartowski/Llama-3.2-3B-Instruct-GGUF", LLAMA_32),
    ("mlx-community/Llama-3.2-3B-Instruct-4bit", LLAMA_32),
    ("mlx-community/Llama-3.2-3B-Instruct-8bit", LLAMA_32),
    ("mlx-community/Llama-3.2-3B-Instruct-bf16", LLAMA_32),
    ("mlx-community/Llama-3.2-3B-Instruct-4bit-DWQ", LLAMA_32),
    ("mlx-community/llama-3.2-3b-instruct-DDWQ", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-FP8-torchao", LLAMA_32),
    ("RedHatAI/Llama-3.2-3B-Instruct-FP8-dynamic", LLAMA_32),
    ("RedHatAI/Llama-3.2-3B-Instruct-quantized.w4a16", LLAMA_32),
    ("unsloth/Llama-3.2-3B-Instruct-bnb-4bit", LLAMA_32),
    ("unsloth/Llama-3.2-3B-Instruct-unsloth-bnb-4bit", LLAMA_32),
    ("unsloth/Llama-3.2-3B-Instruct", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-GPTQ", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-AWQ", LLAMA_32),
    ("turboderp/Llama-3.2-3B-Instruct-exl2", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-EXL3", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-NVFP4", LLAMA_32),
    ("someone/Llama-3.2-3B-Instruct-MXFP4", LLAMA_32),
    ("onnx-community/Llama-3.2-3B-Instruct-ONNX", LLAMA_32),
    ("mradermacher/Llama-3.2-3B-Instruct-i1-GGUF", LLAMA_32),
    ("someone/LLAMA-3.2-3B-INSTRUCT-Q4_K_M-GGUF", LLAMA_32),
    ("TheBloke/Llama-2-7B-hf-GPTQ", "meta-llama/Llama-2-7b-hf"),
    ("TheBloke/Llama-2-7B-GPTQ", "meta-llama/Llama-2-7b"),
    # branch w-cov14 (coverage-reuploads.csv): RedHatAI's and unsloth's -FP8-block builds, and a
    # model the registry lists under CohereForAI and under its new name CohereLabs
    ("RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-block", "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
    ("unsloth/Llama-3.1-8B-Instruct-FP8-Block", "meta-llama/Llama-3.1-8B-Instruct"),
    ("unsloth/aya-vision-32b-bnb-4bit", "CohereLabs/aya-vision-32b"),
    ("bartowski/c4ai-command-r7b-12-2024-GGUF", "CohereLabs/c4ai-command-r7b-12-2024"),
    # branch w-cov15: the maker's name ends in -hf (its Transformers conversion), the re-upload's does not
    ("unsloth/codellama-7b-bnb-4bit", "codellama/CodeLlama-7b-hf"),
    ("unsloth/codellama-13b-bnb-4bit", "codellama/CodeLlama-13b-hf"),
    ("TheBloke/CodeLlama-7B-Instruct-GGUF", "codellama/CodeLlama-7b-Instruct-hf"),
    # and the name as it is still wins where both forms are registry models
    ("TheBloke/Llama-2-7B-hf-GPTQ", "meta-llama/Llama-2-7b-hf"),
    # sixth session (real code: trl, unsloth): a model only the maker's family rule knows
    ("unsloth/Qwen3.5-2B", "Qwen/Qwen3.5-2B"),
    ("mlx-community/Qwen3.5-2B-4bit", "Qwen/Qwen3.5-2B"),
    # a name the registry has twice, once as a third party's copy of the maker's model: the maker's
    ("mlx-community/Llama-3.2-11B-Vision-Instruct-4bit", "meta-llama/Llama-3.2-11B-Vision-Instruct"),
    ("unsloth/Llama-3.2-11B-Vision-Instruct", "meta-llama/Llama-3.2-11B-Vision-Instruct"),
]


@pytest.mark.parametrize(("name", "model"), TODAY, ids=[t[0] for t in TODAY])
def test_todays_reuploads(name: str, model: str) -> None:
    how = "registry" if CAT.find_model(model) is not None else "family" if CAT.find_family(model) else None
    if how is None:
        pytest.skip(f"{model} is not in the registry")
    entry = infer_reupload(name, CAT)
    assert entry is not None and entry.id.lower() == model.lower()
    res = resolve_model(name, cat=CAT)
    assert res.resolution == "inferred" and res.inferred_from == entry.id and res.licences == (entry.licence,)
    assert [(b.id, b.resolution) for b in res.lineage][:1] == [(entry.id, how)]


def test_build_levels_come_off_one_by_one() -> None:
    from licencecmp.scan.resolution import build_levels

    assert build_levels("Llama-3.2-3B-Instruct-unsloth-bnb-4bit") == [
        "Llama-3.2-3B-Instruct-unsloth-bnb-4bit", "Llama-3.2-3B-Instruct-unsloth-bnb",
        "Llama-3.2-3B-Instruct-unsloth", "Llama-3.2-3B-Instruct"]
    assert build_levels("GGUF") == ["GGUF"]  # a name is never stripped to nothing
    assert len(build_levels("x" + "-gguf" * 500)) <= 17  # bounded


def test_no_inference_when_two_models_match() -> None:
    names: dict[str, list[str]] = {}
    for m in CAT.models():
        names.setdefault(m.id.split("/", 1)[1].lower(), []).append(m.id)
    from licencecmp.scan.resolution import COPY_RELATIONS, ORG_RENAMES

    def renamed(ids: list[str]) -> bool:  # one model under a former and a new organisation name
        orgs = {i.split("/", 1)[0].lower() for i in ids}
        return len(ids) == 2 and any(ORG_RENAMES.get(o) in orgs for o in orgs)

    def copied(ids: list[str]) -> bool:  # a third party's copy of the other (COPY_RELATIONS)
        entries = [CAT.find_model(i) for i in ids]
        return any(e is not None and e.relation in COPY_RELATIONS and set(e.upstream) & set(ids) for e in entries)

    shared = next((ids for ids in names.values() if len(ids) > 1 and not renamed(ids) and not copied(ids)), None)
    if shared is None:
        pytest.skip("no two registry models share a name")
    name = shared[0].split("/", 1)[1]
    assert infer_reupload(f"bartowski/{name}-GGUF", CAT) is None
    assert resolve_model(f"bartowski/{name}-GGUF", cat=CAT).resolution == "unknown"
    for mid in shared:  # the ORG_NAME form still names one
        org, nm = mid.split("/", 1)
        hit = infer_reupload(f"bartowski/{org}_{nm}-GGUF", CAT)
        assert hit is not None and hit.id == mid


def test_inferred_before_the_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    with hub_stub({}) as (url, seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        res = resolve_model("bartowski/Llama-3.2-3B-Instruct-GGUF", cat=CAT, online=True)
        assert res.resolution == "inferred" and not seen


def test_family_step_is_a_hook() -> None:
    from licencecmp.scan.resolution import Resolution, Resolver

    def rule(model_id: str) -> Resolution | None:
        if model_id.lower().startswith("acme/family-"):
            return Resolution(model_id, "family", ("apache-2.0",), where="rule: acme/family-*")
        return None

    r = Resolver(CAT, family=rule)
    got = r.resolve("acme/family-7b")
    assert got.resolution == "family" and got.licences == ("apache-2.0",)
    assert r.resolve(LLAMA_32).resolution == "registry"  # the registry wins over a rule
    assert r.resolve("acme/other").resolution == "unknown"


def test_lineage_is_a_graph_with_a_cap_and_no_cycles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from licencecmp.scan.resolution import MAX_BASES

    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    cache_model(cache, "acme/a", {"README.md": "---\nlicense: mit\nbase_model: acme/b\n---\n"})
    cache_model(cache, "acme/b", {"README.md": "---\nlicense: mit\nbase_model:\n- acme/a\n- " + LLAMA_32 + "\n---\n"})
    many = "".join(f"- acme/part-{i}\n" for i in range(MAX_BASES + 5))
    card = f"---\nlicense: mit\nbase_model_relation: merge\nbase_model:\n{many}---\n"
    cache_model(cache, "acme/merge", {"README.md": card})
    a = resolve_model("acme/a", cat=CAT)
    assert [b.id for b in a.lineage] == ["acme/b", LLAMA_32]  # a -> b -> (a: seen, llama)
    assert [b.of for b in a.lineage] == ["acme/a", "acme/b"]
    assert "llama-3.2" in a.upstream  # a base of a base binds too
    merge = resolve_model("acme/merge", cat=CAT)
    assert len(merge.lineage) == MAX_BASES and any("were read" in n for n in merge.notes)
    assert all(b.relation == "merge" and b.resolution == "unknown" for b in merge.lineage)


def test_a_renamed_organisation_is_one_model_only_when_its_entries_agree() -> None:
    """Entries of one name under an organisation's former and new names (ORG_RENAMES) are one
    model for inference when their licence and upstream agree; otherwise nothing is inferred."""
    from licencecmp.scan.resolution import ORG_RENAMES

    by_name: dict[str, list[str]] = {}
    for m in CAT.models():
        by_name.setdefault(m.id.split("/", 1)[1].lower(), []).append(m.id)
    pairs = [ids for ids in by_name.values() if len(ids) == 2
             and {ORG_RENAMES.get(i.split("/", 1)[0].lower(), "") for i in ids} & {i.split("/", 1)[0].lower()
                                                                                   for i in ids}]
    if not pairs:
        pytest.skip("no model is listed under a former and a new organisation name")
    for ids in pairs:
        old, new = sorted(ids, key=lambda i: i.split("/", 1)[0].lower() in ORG_RENAMES, reverse=True)
        a, b = CAT.model(old), CAT.model(new)
        hit = infer_reupload(f"bartowski/{new.split('/', 1)[1]}-GGUF", CAT)
        if (a.licence, a.upstream) == (b.licence, b.upstream):
            assert hit is not None and hit.id == new, ids
        else:
            assert hit is None, ids


def test_a_makers_hf_name_is_matched_without_it_only_as_a_last_resort() -> None:
    """Branch w-cov15: a re-upload of `codellama/CodeLlama-7b-hf` named `codellama-7b` is that model; where the
    bare name is itself a registry name (`meta-llama/Llama-2-7b` beside `Llama-2-7b-hf`) the bare name decides,
    and where two `-hf` models share a bare name nothing is guessed."""
    from licencecmp.scan.resolution import MAKER_SUFFIX

    names: dict[str, list[str]] = {}
    bare: dict[str, list[str]] = {}
    for m in CAT.models():
        name = m.id.split("/", 1)[1].lower()
        names.setdefault(name, []).append(m.id)
        if MAKER_SUFFIX.search(name):
            bare.setdefault(MAKER_SUFFIX.sub("", name), []).append(m.id)
    assert bare, "the registry has makers' -hf models"
    seen = {"alone": 0, "beside a bare name": 0}
    for key, ids in bare.items():
        forms = {key, key.removeprefix("meta-"), f"meta-{key}"}
        hit = infer_reupload(f"someone/{key}-GGUF", CAT)
        if forms & names.keys():  # the bare name is a registry name: it decides, never the -hf model
            seen["beside a bare name"] += 1
            assert hit is None or hit.id.split("/", 1)[1].lower() in forms, (key, hit.id)
        elif len(ids) == 1:
            seen["alone"] += 1
            assert hit is not None and hit.id == ids[0], key
        else:
            assert hit is None, (key, ids)
    assert seen["alone"] and seen["beside a bare name"], seen
