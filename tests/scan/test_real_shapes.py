"""Shapes of real repositories (issue 21; issue 25 item 5): each test is a fixture of its own, written for
this suite, of one shape seen in real code. Every one of them failed before the scanner knew the shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from licencecmp.scan.check import run_check
from licencecmp.scan.policy import Policy
from licencecmp.scan.reading import classify
from licencecmp.scan.refs import scan
from licencecmp.scan.shapes import find_references
from tests.fixtures.check.support import write_tree


def refs(rel: str, text: str) -> list[tuple[str, int]]:
    """(model, line) of the uses (not mentions, not placeholders) in one file."""
    return [(r.model, r.line) for r in find_references(rel, text) if not r.comment and not r.placeholder]


def mentions(rel: str, text: str) -> list[tuple[str, int]]:
    return [(r.model, r.line) for r in find_references(rel, text) if r.comment]


write = write_tree


# -- org-less legacy names, in a model context only ------------------------------------------------


def test_legacy_names_report_the_canonical_id_and_keep_the_name() -> None:
    text = ('from sentence_transformers import SentenceTransformer\n'
            'emb = SentenceTransformer("all-MiniLM-L6-v2")\n'
            'tok = AutoTokenizer.from_pretrained("bert-base-uncased")\n'
            'gen = pipeline("text-generation", model="gpt2")\n'
            'enc = SentenceTransformer("acme-sentence-encoder-v2")\n')
    got = find_references("app.py", text)
    assert [(r.model, r.written, r.line) for r in got] == [
        ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2", 2),
        ("google-bert/bert-base-uncased", "bert-base-uncased", 3),
        ("openai-community/gpt2", "gpt2", 4),
        ("sentence-transformers/acme-sentence-encoder-v2", "acme-sentence-encoder-v2", 5),  # the library's rule
    ]


def test_legacy_names_outside_a_model_context_are_nothing() -> None:
    text = 'print("gpt2")\nWORDS = ["bert-base-uncased", "t5-small"]\nx = "gpt2 is a model"\n'
    assert refs("notes.py", text) == []
    assert refs("conf.yaml", "title: gpt2\nmodel: gpt-4o\n") == []  # an API model, not a legacy Hub name


def test_legacy_name_in_the_json_report_keeps_the_name_as_written(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": 'model_name = "bert-base-uncased"\nm = AutoModel.from_pretrained(model_name)\n'})
    report = run_check(tmp_path, Policy())
    (model,) = report.models
    assert model.model == "google-bert/bert-base-uncased"
    loc = json.loads(model.model_dump_json())["locations"][0]
    assert loc["as_written"] == "bert-base-uncased" and loc["line"] == 1


# -- defaults ------------------------------------------------------------------------------------------


def test_defaults_of_dataclass_fields_class_attributes_getenv_pop_and_parameters() -> None:
    text = ('@dataclass\nclass Args:\n'
            '    model_name: str = field(default="EleutherAI/pythia-160m", metadata={"help": "x"})\n'
            'class Pipe:\n'
            '    default_checkpoint = "openai/whisper-large-v3-turbo"\n'
            'MODEL = os.getenv("MODEL_ID", default="acme/env-model")\n'
            'def build(**kwargs):\n'
            '    tok = kwargs.pop("tokenizer", "acme/tok")\n'
            'def embed(text, embedding_model="acme/embedder"):\n'
            '    pass\n'
            'class Conf(BaseModel):\n'
            '    reranker: str = Field(default="acme/reranker")\n')
    assert refs("defaults.py", text) == [
        ("EleutherAI/pythia-160m", 3), ("openai/whisper-large-v3-turbo", 5), ("acme/env-model", 6),
        ("acme/tok", 8), ("acme/embedder", 9), ("acme/reranker", 12)]


# -- lists, loops, parameters -------------------------------------------------------------------------


def test_lists_loops_dicts_and_pytest_params() -> None:
    text = ('seq2seq_models = ["google/flan-t5-small", "acme/t5-tiny"]\n'
            'MODEL_CHOICES = {"small": "acme/small", "large": "acme/large"}\n'
            'for name in ("acme/loop-a", "acme/loop-b"):\n'
            '    run(model_name=name)\n'
            '@pytest.mark.parametrize("model_id", [pytest.param("acme/tiny-model"), "acme/other-tiny"])\n'
            'def test_a(model_id): ...\n'
            '@pytest.mark.parametrize(("dataset", "model_id"), [("acme/data-x", "acme/pair-model")])\n'
            'def test_b(dataset, model_id): ...\n'
            'for word in ("acme/not-a-model",):\n'
            '    print(word)\n')
    assert refs("test_models.py", text) == [
        ("google/flan-t5-small", 1), ("acme/t5-tiny", 1), ("acme/small", 2), ("acme/large", 2),
        ("acme/loop-a", 3), ("acme/loop-b", 3), ("acme/tiny-model", 5), ("acme/other-tiny", 5),
        ("acme/pair-model", 7)]


# -- loader methods beyond from_pretrained, model_args -----------------------------------------------


def test_loader_methods_and_model_args() -> None:
    text = ('pipe.load_lora_weights("acme/lora-a", weight_name="x.safetensors")\n'
            'model.load_adapter("acme/adapter-b")\n'
            'pipe.load_ip_adapter("acme/ip-c", subfolder="models")\n'
            'pipe.load_textual_inversion("acme/ti-d")\n'
            'peft = PeftModel.from_pretrained(base, "acme/peft-e")\n'
            'lm_eval.simple_evaluate(model="hf", model_args="pretrained=acme/pythia-f,dtype=float32")\n')
    assert refs("load.py", text) == [("acme/lora-a", 1), ("acme/adapter-b", 2), ("acme/ip-c", 3),
                                     ("acme/ti-d", 4), ("acme/peft-e", 5), ("acme/pythia-f", 6)]
    assert refs("eval.sh", "lm_eval --model hf --model_args pretrained=acme/pythia-g,dtype=float32\n") == [
        ("acme/pythia-g", 1)]


def test_hugging_face_download_urls_are_references() -> None:
    text = 'URL = "https://huggingface.co/acme/x-GGUF/resolve/main/x.Q4_K_M.gguf"\n'
    assert refs("fetch.py", text) == [("acme/x-GGUF", 1)]
    assert refs("get.sh", "wget https://huggingface.co/acme/y-GGUF/resolve/main/y.gguf\n") == [("acme/y-GGUF", 1)]
    assert refs("fetch.py", 'DOCS = "https://huggingface.co/docs/transformers/index"\n') == []


# -- notebooks, cell by cell, at the cell's line -------------------------------------------------------


def _nb(*cells: tuple[str, list[str]]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": src} for kind, src in cells],
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_notebook_cells_parse_alone_and_refs_point_at_the_code_cell() -> None:
    nb = _nb(("markdown", ["We use [acme/nb-model](https://huggingface.co/acme/nb-model).\n"]),
             ("code", ["%%capture\n", "!pip install -q diffusers\n", "import torch\n"]),
             ("code", ["pipe = DiffusionPipeline.from_pretrained(\n", "    \"acme/nb-model\",\n", ")\n"]),
             ("code", ["x = (  # this cell does not parse\n", "pipe.load_lora_weights(\"acme/nb-lora\")\n"]),
             ("code", ["# AutoModel.from_pretrained(\"acme/commented\")\n"]))
    lines = nb.split("\n")
    code_line = next(i for i, ln in enumerate(lines, 1) if '"    \\"acme/nb-model\\",\\n"' in ln)
    lora_line = next(i for i, ln in enumerate(lines, 1) if "acme/nb-lora" in ln)
    assert refs("demo.ipynb", nb) == [("acme/nb-model", code_line), ("acme/nb-lora", lora_line)]
    assert ("acme/commented", next(i for i, ln in enumerate(lines, 1) if "acme/commented" in ln)) in mentions(
        "demo.ipynb", nb)


def test_registry_ids_in_markdown_cells_are_mentions(tmp_path: Path) -> None:
    llama = "meta-llama/Llama-3.1-8B"
    nb = _nb(("markdown", [f"See {llama} for the licence.\n"]), ("code", ["print(1)\n"]))
    res = scan(write(tmp_path, {"n.ipynb": nb}))
    assert res.found == [] and [f.model for f in res.mentions] == [llama]


# -- what is not a model -------------------------------------------------------------------------------


def test_route_strings_of_api_clients_are_not_models_but_wrapped_hub_ids_are() -> None:
    text = ('a = completion(model="anthropic/claude-3-5-sonnet-20240620")\n'
            'b = LLM(model="ollama_chat/llama3.2")\n'
            'c = LLM(model="google/gemini-2.0-flash-001")\n'
            'd = LLM(model="gemini/gemini-1.5-pro")\n'
            'e = completion(model="groq/openai/gpt-oss-120b")\n'
            'f = completion(model="huggingface/acme/wrapped-model")\n'
            'g = LLM(model="openai/gpt-4o-mini")\n'
            'h = Embedder(model="models/embedding-001")\n')
    assert refs("agent.py", text) == [("openai/gpt-oss-120b", 5), ("acme/wrapped-model", 6)]


def test_placeholders_are_counted_apart_never_judged(tmp_path: Path) -> None:
    write(tmp_path, {"example.py": 'm = AutoModel.from_pretrained("your-org/your-model")\n'
                                   'n = AutoModel.from_pretrained("username/my_model")\n'
                                   'o = AutoModel.from_pretrained("meta-llama/your-model-path")\n'})
    report = run_check(tmp_path, Policy())
    assert report.models == () and report.exit_code == 0
    assert len(report.placeholders) == 3 and report.summary.placeholders == 3


def test_datasets_spaces_and_kernels_are_not_models() -> None:
    text = ('ds = load_dataset("acme/some-dataset")\n'
            'args = Args(dataset_name="acme/other-dataset")\n'
            'f = hf_hub_download(repo_id="acme/data-repo", repo_type="dataset", filename="x")\n'
            'client = Client(space_id="acme/space")\n'
            'kernel = get_kernel("kernels-community/flash-attn3")\n'
            'attn_model = "kernels-community/vllm-flash-attn3"\n')
    assert refs("data.py", text) == []


def test_binary_files_are_decided_by_content(tmp_path: Path) -> None:
    pickled = b"\x80\x04\x95" + b'model_name = "meta-llama/Llama-3.1-8B"\n' * 50
    assert classify(pickled, "index.faiss") == "binary" and classify(pickled, "cache.txt") == "binary"
    assert classify(b"IxFI" + b"x" * 100, "store.index") == "binary"
    header = b'{"__metadata__": {}}'
    assert classify(len(header).to_bytes(8, "little") + header + b"\x00" * 4, "w.bin") == "binary"
    assert classify(b'model = "acme/x"\n', "model.bin") == "text"  # a text file named .bin is read as text
    res = scan(write(tmp_path, {"vectors.pkl": pickled, "notes.data": pickled}))
    assert res.found == [] and {s.path for s in res.skipped} == {"vectors.pkl", "notes.data"}


def test_front_matter_that_is_not_a_model_card(tmp_path: Path) -> None:
    skill = "---\nname: pdf-skill\ndescription: Reads PDFs\nlicense: Apache-2.0\n---\n# Skill\n"
    card = "---\nlicense: apache-2.0\nbase_model: acme/base\npipeline_tag: text-generation\n---\n# Model\n"
    res = scan(write(tmp_path, {"skills/pdf/SKILL.md": skill, "models/tuned/MODEL_CARD.md": card}))
    assert [(f.path, f.source) for f in res.found] == [("models/tuned/MODEL_CARD.md", "model-card")]


def test_mentions_are_mentions_whatever_the_id(tmp_path: Path) -> None:
    llama = "meta-llama/Llama-3.1-8B"
    text = (f'"""Fine-tunes {llama} or acme/unknown-model.\n\n'
            f'>>> AutoModel.from_pretrained("{llama}")\n'
            '>>> AutoModel.from_pretrained("acme/doc-model")\n"""\n'
            'def f():\n'
            f'    """Loads {llama}."""\n'
            '    return 1\n')
    res = scan(write(tmp_path, {"lib.py": text}))
    assert res.found == []
    assert {f.model for f in res.mentions} == {llama, "acme/doc-model"}


def test_comments_of_c_like_languages_are_mentions() -> None:
    text = ('//! See https://huggingface.co/acme/rs-doc/resolve/main/x.gguf\n'
            '/// model = "acme/rs-doc2"\n'
            'let api = hf_hub::api::sync::Api::new()?;\n'
            'let repo = api.model("acme/rs-model".to_string()); // not "acme/rs-comment"\n')
    assert refs("main.rs", text) == [("acme/rs-model", 4)]


# -- catalogue files ------------------------------------------------------------------------------


def _catalogue(n: int) -> str:
    rows = "\n".join(f'    "acme/model-{i}": ("acme/model-{i}-bnb-4bit", "upstream/model-{i}"),' for i in range(n))
    return f"MAPPER = {{\n{rows}\n}}\nmodel = AutoModel.from_pretrained(\"acme/really-used\")\n"


def test_a_catalogue_is_one_entry_and_judged_only_when_the_policy_says(tmp_path: Path) -> None:
    write(tmp_path, {"mapper.py": _catalogue(60).replace("acme/model-0\"", "meta-llama/Llama-3.1-8B\"", 1)})
    report = run_check(tmp_path, Policy())
    assert [m.model for m in report.models] == ["acme/really-used"]  # a call in a catalogue is still a use
    (entry,) = report.catalogues
    assert entry.path == "mapper.py" and entry.ids >= 60 and not entry.judged
    judged = run_check(tmp_path, Policy(catalogues="judge"))
    assert len(judged.models) > 60 and judged.catalogues[0].judged


def test_a_few_models_in_a_file_are_not_a_catalogue(tmp_path: Path) -> None:
    body = "\n".join(f'M{i}_MODEL = "acme/m-{i}"' for i in range(10))
    report = run_check(write(tmp_path, {"models.py": body + "\n"}), Policy())
    assert report.catalogues == () and len(report.models) == 10


# -- issue 25 item 5: shapes outside the registry ---------------------------------------------------


def test_yaml_next_line_values_anchors_and_aliases_and_camel_case_keys() -> None:
    text = ("defaults:\n  base: &base acme/anchored-model\n"
            "serving:\n  model: *base\n"
            "training:\n  model_name_or_path:\n    acme/next-line-model\n"
            "ui:\n  modelId: acme/camel-model\n  baseModel: acme/camel-base\n")
    assert refs("config.yaml", text) == [("acme/anchored-model", 2), ("acme/next-line-model", 7),
                                         ("acme/camel-model", 9), ("acme/camel-base", 10)]
    assert refs("settings.json", '{"modelId": "acme/json-camel"}') == [("acme/json-camel", 1)]


def test_exec_form_commands_block_lists_and_line_continuations() -> None:
    compose = 'services:\n  vllm:\n    command: ["--model", "acme/compose-model", "--port", "8000"]\n'
    k8s = "containers:\n  - name: vllm\n    args:\n      - --model\n      - acme/k8s-model\n"
    shell = "vllm serve \\\n    acme/continued-model \\\n    --port 8000\n"
    quiet = "huggingface-cli download --quiet acme/quiet-model\nhf download --repo-type model acme/typed\n"
    assert refs("docker-compose.yml", compose) == [("acme/compose-model", 3)]
    assert refs("deploy.yaml", k8s) == [("acme/k8s-model", 5)]
    assert refs("serve.sh", shell) == [("acme/continued-model", 2)]
    assert refs("get.sh", quiet) == [("acme/quiet-model", 1), ("acme/typed", 2)]


def test_os_getenv_with_a_default_keyword_and_a_list_used_in_a_loop() -> None:
    text = ('MODEL_ID = os.getenv("MODEL_ID", default="acme/env-default")\n'
            'CANDIDATES = ["acme/cand-a", "acme/cand-b"]\n'
            'for c in CANDIDATES:\n'
            '    AutoModel.from_pretrained(c)\n')
    assert refs("run.py", text) == [("acme/env-default", 1), ("acme/cand-a", 2), ("acme/cand-b", 2)]


@pytest.mark.parametrize("ext", [".html", ".htm"])
def test_transformers_js_in_html_is_read_and_its_prose_is_not(tmp_path: Path, ext: str) -> None:
    page = ("<html><body><p>Made with acme/prose-model and meta-llama/Llama-3.1-8B.</p>\n"
            "<script type=\"module\">\n"
            "import { pipeline } from 'https://cdn.jsdelivr.net/npm/@huggingface/transformers';\n"
            "const p = await pipeline('sentiment-analysis', 'acme/html-model');\n"
            "</script></body></html>\n")
    res = scan(write(tmp_path, {f"index{ext}": page}))
    assert [(f.model, f.line) for f in res.found] == [("acme/html-model", 4)]
    assert "meta-llama/Llama-3.1-8B" in {f.model for f in res.mentions}


def test_a_shell_magic_continued_by_backslashes_is_read_as_shell() -> None:
    nb = _nb(("code", ["!lm_eval \\\n", "    --model hf \\\n", "    --model_args pretrained=acme/magic-model \\\n",
                       "    --tasks hellaswag\n"]))
    line = next(i for i, ln in enumerate(nb.split("\n"), 1) if "acme/magic-model" in ln)
    assert refs("eval.ipynb", nb) == [("acme/magic-model", line)]


def test_placeholder_names_and_provider_prefixes_of_agent_frameworks() -> None:
    text = ('a = LLM(model="openai/model_name")\nb = LLM(model="azure_openai/gpt-4")\n'
            'c = LLM(model="acme/model_name")\n')
    got = find_references("agents.py", text)
    assert [(r.model, r.placeholder) for r in got] == [("openai/model_name", True), ("acme/model_name", True)]


def test_many_yaml_aliases_on_one_line_stay_linear() -> None:
    line = "{" + ", ".join(f"m{i}_model: *a" for i in range(2000)) + "}\n"
    assert refs("big.yaml", "x: &a acme/anchored\n" + line)[:1] == [("acme/anchored", 1)]
