"""The policy file: reading it from licencecmp.toml or [tool.licencecmp], errors that name the
file, key and line, the starter file, and the JSON Schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from licencecmp.scan.policy import Policy, PolicyError, find_policy, load_policy, starter_policy
from licencecmp.vocab import Action
from tests.conftest import Cli
from tests.fixtures.check.support import line_of, shipped_catalogue

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


GOOD = """\
mau = 2_000_000
annual_revenue = 1e6
domicile = "de"
used_in = ["EU", "US"]
commercial = true
actions = ["use", "serve"]
allow_unknown = false
allow = { licences = ["mit", "llama3.1"], kinds = ["permissive"] }
deny = { open_source = false, kinds = ["non-commercial"] }
models = [{ id = "acme/private", licence = "apache-2.0 OR mit" }, { id = "meta-llama/Llama-3.1-8B" }]

[[overrides]]
model = "acme/private"
actions = ["train-on-outputs"]

[[waivers]]
licence = "llama-3.1"
reason = "Meta agreement LEGAL-7"
expires = 2027-06-30
"""


def test_a_full_policy_loads(tmp_path: Path) -> None:
    path = tmp_path / "licencecmp.toml"
    path.write_text(GOOD)
    policy, source = load_policy(path, shipped_catalogue())
    assert policy.mau == 2_000_000 and policy.used_in == ["EU", "US"] and policy.commercial is True
    assert policy.actions == [Action.USE, Action.SERVE]
    assert policy.actions_for("ACME/private") == [Action.TRAIN_ON_OUTPUTS]
    assert policy.waivers[0].expires.isoformat() == "2027-06-30"
    assert source.line_of(("waivers", 0, "expires")) == line_of(GOOD, "expires")
    assert source.line_of(("deny", "open_source")) == line_of(GOOD, "deny =")


def test_pyproject_table(tmp_path: Path) -> None:
    body = GOOD.replace("[[overrides]]", "[[tool.licencecmp.overrides]]")
    text = '[project]\nname = "x"\n\n[tool.licencecmp]\n' + body.replace("[[waivers]]", "[[tool.licencecmp.waivers]]")
    (tmp_path / "pyproject.toml").write_text(text)
    assert find_policy(tmp_path) == tmp_path / "pyproject.toml"
    policy, source = load_policy(tmp_path / "pyproject.toml", shipped_catalogue())
    assert policy.overrides[0].model == "acme/private"
    assert source.line_of(("waivers", 0, "reason")) == line_of(text, "reason =")


def test_no_policy_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_policy(tmp_path) is None
    policy, _ = load_policy(None)
    assert policy.actions == [Action.USE] and policy.allow_unknown is False


def test_both_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.licencecmp]\nmau = 1\n")
    (tmp_path / "licencecmp.toml").write_text("mau = 1\n")
    with pytest.raises(PolicyError, match=r"both licencecmp\.toml and"):
        find_policy(tmp_path)


BAD = [
    # (replace this text of GOOD, with this, key named in the message, words in the message,
    #  text on the line the message must name)
    ("commercial = true", "colour = \"blue\"", "colour", "unknown key", "colour"),
    ("mau = 2_000_000", "mau = \"lots\"", "mau", "integer", "mau ="),
    ("mau = 2_000_000", "mau = true", "mau", "integer", "mau ="),
    ("mau = 2_000_000", "mau = -5", "mau", "greater than or equal", "mau ="),
    ('actions = ["use", "serve"]', 'actions = ["use", "resell"]', "actions[1]", "resell", "resell"),
    ('actions = ["use", "serve"]', "actions = []", "actions", "at least 1", "actions ="),
    ('used_in = ["EU", "US"]', 'used_in = ["EU", "Narnia"]', "used_in[1]", "unknown country", "Narnia"),
    ('domicile = "de"', 'domicile = "XX"', "domicile", "unknown country", "domicile"),
    ("allow_unknown = false", 'allow_unknown = "no"', "allow_unknown", "boolean", "allow_unknown"),
    ('kinds = ["permissive"] }', 'kinds = ["free"] }', "allow.kinds[0]", "free", "allow ="),
    ('licences = ["mit", "llama3.1"]', 'licences = ["mit", "llama-9"]', "allow.licences[1]", "llama-9", "allow ="),
    ('licence = "apache-2.0 OR mit"', 'licence = "apache-2.0 OR nonsense-1"', "models[0].licence", "nonsense",
     "models ="),
    ('{ id = "meta-llama/Llama-3.1-8B" }', '{ id = "meta-llama/Llama-9" }', "models[1].id", "not in the registry",
     "models ="),
    ('licence = "llama-3.1"', 'licence = "llama-9"', "waivers[0].licence", "llama-9", 'licence = "llama-9"'),
    ('reason = "Meta agreement LEGAL-7"', "", "waivers[0].reason", "Field required", "[[waivers]]"),
    ("expires = 2027-06-30", 'expires = "next year"', "waivers[0].expires", "date", "expires"),
    ('licence = "llama-3.1"', 'licence = "llama-3.1"\nmodel = "x/y"', "waivers[0]", "exactly one of model or licence",
     "[[waivers]]"),
    ("[[overrides]]", "[[overides]]", "overides", "unknown key", "[[overides]]"),
]


@pytest.mark.parametrize(("old", "new", "key", "words", "anchor"), BAD, ids=[b[2] + ":" + b[3] for b in BAD])
def test_bad_policy_names_file_key_and_line(tmp_path: Path, cli: Cli, old: str, new: str,
                                            key: str, words: str, anchor: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = tmp_path / "licencecmp.toml"
    path.write_text(text)
    code, out, err = cli("check", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and key in err and words.lower() in err.lower()
    assert f"{path}:{line_of(text, anchor)}:" in err


def test_toml_syntax_error_has_a_line(tmp_path: Path, cli: Cli) -> None:
    text = "mau = 1\nactions = [\"use\"\n"
    (tmp_path / "licencecmp.toml").write_text(text)
    code, _, err = cli("check", str(tmp_path))
    assert code == 2 and "invalid TOML" in err and "licencecmp.toml:" in err


def test_not_utf8(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "licencecmp.toml").write_bytes(b"mau = 1 # \xff\xfe\n")
    code, _, err = cli("check", str(tmp_path))
    assert code == 2 and "UTF-8" in err


def test_pyproject_without_table_named_explicitly(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, _, err = cli("check", str(tmp_path), "--policy", str(tmp_path / "pyproject.toml"))
    assert code == 2 and "no [tool.licencecmp] table" in err


def test_license_spelling_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "licencecmp.toml"
    path.write_text('models = [{ id = "acme/x", license = "mit" }]\nallow = { licenses = ["mit"] }\n')
    policy, _ = load_policy(path, shipped_catalogue())
    assert policy.models[0].licence == "mit" and policy.allow.licences == ["mit"]


# -- starter file and schema ------------------------------------------------------------------


def test_policy_init_writes_a_valid_commented_starter(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "licencecmp.toml"
    code, out, _ = cli("policy", "init", str(target))
    assert code == 0 and "wrote" in out
    text = target.read_text()
    assert text == starter_policy() and text.count("\n# ") > 20
    policy, _ = load_policy(target, shipped_catalogue())
    assert policy.actions == [Action.USE, Action.COMMERCIAL_USE]
    code, _, err = cli("policy", "init", str(target))
    assert code == 2 and "already exists" in err
    assert cli("policy", "init", str(target), "--force")[0] == 0


def test_every_commented_example_in_the_starter_is_valid(tmp_path: Path) -> None:
    """Uncommenting every example line gives a policy that loads (the examples are not stale)."""
    lines = []
    for line in starter_policy().splitlines():
        body = line[2:] if line.startswith("# ") else line
        if line.startswith("# ") and (body[:1].isalpha() or body.startswith(("[", "{", "]"))) \
                and ("=" in body or body.startswith(("[", "]", "{"))):
            lines.append(body)
        elif not line.startswith("#"):
            lines.append(line)
    text = "\n".join(lines) + "\n"
    data = tomllib.loads(text)
    assert {"mau", "domicile", "used_in", "allow", "deny", "models", "overrides", "waivers", "exclude"} <= set(data)
    path = tmp_path / "licencecmp.toml"
    path.write_text(text)
    load_policy(path, shipped_catalogue())


def test_policy_init_pyproject_form(tmp_path: Path, cli: Cli) -> None:
    code, out, _ = cli("policy", "init", "--pyproject")
    assert code == 0 and "[tool.licencecmp]" in out
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n' + out)
    policy, _ = load_policy(tmp_path / "pyproject.toml", shipped_catalogue())
    assert policy.actions == [Action.USE, Action.COMMERCIAL_USE]


def test_schema_policy(cli: Cli) -> None:
    code, out, _ = cli("schema", "policy")
    schema = json.loads(out)
    assert code == 0 and schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(Policy.model_fields)
    assert "waivers" in schema["properties"] and "Waiver" in schema["$defs"]


def test_policy_path_that_is_not_a_file_is_an_error(tmp_path: Path) -> None:
    from licencecmp.scan.policy import PolicyError, find_policy

    (tmp_path / "licencecmp.toml").mkdir()
    with pytest.raises(PolicyError, match="not a regular file"):
        find_policy(tmp_path)


def test_undecodable_pyproject_is_reported_not_ignored(tmp_path: Path) -> None:
    from licencecmp.scan.policy import PolicyError, find_policy

    (tmp_path / "pyproject.toml").write_bytes('[tool.licencecmp]\nmau = 5\n'.encode("utf-16"))
    with pytest.raises(PolicyError, match="UTF-8"):
        find_policy(tmp_path)
