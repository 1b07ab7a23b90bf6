"""Fixture repositories for open-world discovery: every reference form of issue 15, with decoys.

Each builder writes files under a folder and returns the references a reader would list by hand:
``{(model id, path)}``. Decoys are strings shaped like ids that are not model uses (local paths,
MIME types, dates, container images, GitHub Actions, non-Hub URLs, datasets, served names,
comments); none of them may be reported.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["APP_EXPECTED", "APP_FILES", "SECOND_EXPECTED", "SECOND_FILES", "write"]


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_NOTEBOOK = json.dumps({
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Try acme-notes/not-a-use in prose\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
         "source": ["from sentence_transformers import SentenceTransformer\n",
                    "emb = SentenceTransformer(\"intfloat/multilingual-e5-large\")\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
         "source": ["!huggingface-cli download nomic-ai/nomic-embed-text-v1.5\n"]},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}, indent=1)

APP_FILES: dict[str, str] = {
    "app/llm.py": '''\
"""The assistant. See docs/setup.md; uses text/plain and application/json bodies."""
import os

from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
from peft import PeftModel

MODEL_ID = "unsloth/Llama-3.2-3B-Instruct-bnb-4bit"
ADAPTER = "acme-corp/support-lora-v2"
RELEASED = "2024/05/01"
LOCAL = "./checkpoints/run-7"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
base = AutoModelForCausalLM.from_pretrained(MODEL_ID, device_map="auto")
model = PeftModel.from_pretrained(base, ADAPTER)
local = AutoModelForCausalLM.from_pretrained(LOCAL)
classifier = pipeline("text-classification", "acme-corp/ticket-router")
summariser = pipeline(task="summarization", model="deepseek-ai/DeepSeek-R1-0528")
embedder_name = os.environ.get("EMBEDDING_MODEL", "BAAI/bge-m3")
# old: AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1")
legacy = pipeline("fill-mask", model="google-bert/bert-base-uncased")  # licencecmp: ignore
''',
    "app/images.py": '''\
import torch
from diffusers import DiffusionPipeline, StableDiffusionXLPipeline
from huggingface_hub import HfApi, hf_hub_download, snapshot_download

flux = DiffusionPipeline.from_pretrained("black-forest-labs/FLUX.1-dev", torch_dtype=torch.bfloat16)
sdxl = StableDiffusionXLPipeline.from_pretrained("stabilityai/stable-diffusion-xl-base-1.0")
weights = hf_hub_download(repo_id="TheBloke/Mistral-7B-Instruct-v0.2-GGUF", filename="q4.gguf")
snapshot_download("Qwen/Qwen3-Coder-30B-A3B-Instruct")
table = hf_hub_download(repo_id="acme-corp/eval-set", filename="x.csv", repo_type="dataset")
info = HfApi().model_info("microsoft/Phi-4-mini-instruct")
HEADERS = {"Content-Type": "application/json", "Accept": "text/event-stream"}
''',
    "app/serve_vllm.py": '''\
from vllm import LLM
from sentence_transformers import CrossEncoder

llm = LLM(model="mistralai/Mistral-Small-3.1-24B-Instruct-2503")
rerank = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2")
''',
    "web/embed.ts": '''\
import { pipeline, AutoTokenizer } from '@huggingface/transformers';
// the model below is converted by Xenova
const extractor = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2');
const tok = await AutoTokenizer.from_pretrained('onnx-community/Qwen2.5-0.5B-Instruct-ONNX');
const url = 'https://github.com/huggingface/transformers.js';
''',
    "Dockerfile": '''\
FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04
ARG BASE_MODEL=meta-llama/Llama-3.1-8B-Instruct
ENV EMBED_MODEL BAAI/bge-large-en-v1.5
RUN pip install vllm==0.8.0 && huggingface-cli download ggml-org/gemma-3-4b-it-GGUF --local-dir /models
CMD ["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct"]
''',
    "scripts/serve.sh": '''\
#!/bin/sh
set -eu
vllm serve bartowski/Llama-3.2-3B-Instruct-GGUF --served-model-name acme/assistant --port 8000
llama-server -hf ggml-org/Qwen3-1.7B-GGUF:Q4_K_M --port 8080
hf download acme-corp/private-classifier --local-dir ./models/cls
ollama pull hf.co/lmstudio-community/gemma-3-12b-it-GGUF:Q4_K_M
text-generation-launcher --model-id tiiuae/falcon-7b-instruct
# vllm serve some-org/commented-out
python train.py --model_name_or_path ./outputs/last --dataset acme-corp/tickets
''',
    "Modelfile": "FROM hf.co/bartowski/Qwen2.5-Coder-7B-Instruct-GGUF:Q5_K_M\nPARAMETER temperature 0.2\n",
    "docker-compose.yml": '''\
services:
  tgi:
    image: ghcr.io/huggingface/text-generation-inference:3.0
    command: --model-id HuggingFaceH4/zephyr-7b-beta --max-input-length 4096
    environment:
      - MODEL_ID=google/gemma-2-9b-it
  db:
    image: postgres/postgres:16
''',
    ".github/workflows/ci.yml": '''\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: huggingface-cli download sentence-transformers/all-mpnet-base-v2
        env:
          HF_TOKEN: ${{ secrets.HF_TOKEN }}
''',
    "Makefile": '''\
MODEL ?= nvidia/Llama-3.1-Nemotron-Nano-8B-v1
serve:
\tvllm serve $(MODEL) --tensor-parallel-size 2
''',
    "config/train.yaml": '''\
base_model: mistralai/Mistral-7B-Instruct-v0.3
teacher: Qwen/Qwen2.5-72B-Instruct
output_dir: ./checkpoints/student
model_path: /srv/models/llama
dataset: acme-corp/tickets
tokenizer: ./tokenizer
date: 2024/06/01
content_type: application/json
reranker_model: "BAAI/bge-reranker-v2-m3"
extra_models:
  - allenai/OLMo-2-1124-7B-Instruct
  - allenai/Molmo-7B-D-0924
''',
    "config/models.toml": '''\
[model]
id = "microsoft/phi-4"
[embedding]
embedding_model = "Alibaba-NLP/gte-modernbert-base"
image = "docker.io/library/python:3.12"
''',
    "config/settings.json": '''\
{"student": "HuggingFaceTB/SmolLM2-360M-Instruct", "mime": "image/png", "homepage": "https://example.com/a/b",
 "model": "https://huggingface.co/ibm-granite/granite-3.3-8b-instruct", "docs": "https://huggingface.co/docs/hub"}
''',
    ".env": "MODEL_NAME=CohereLabs/aya-expanse-8b\nDATABASE_URL=postgres://u:p@db/app\n",
    "config/app.ini": "[llm]\nmodel = 01-ai/Yi-1.5-9B-Chat\npath = data/raw\n",
    "adapters/support/adapter_config.json": json.dumps(
        {"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "peft_type": "LORA", "r": 16}, indent=2),
    "exported/config.json": json.dumps(
        {"_name_or_path": "HuggingFaceTB/SmolLM2-1.7B", "architectures": ["LlamaForCausalLM"],
         "model_type": "llama", "torch_dtype": "bfloat16"}, indent=2),
    "notebooks/explore.ipynb": _NOTEBOOK,
    "docs/setup.md": "# Setup\n\nWe compared with meta-llama/Llama-2-7b-hf and Qwen/QwQ-32B.\n",
    "requirements.txt": "transformers>=4.44\nsentence-transformers\ntorch/cpu\n",
}
"""A repository that loads models in the ways real projects do (issue 15), with decoys."""

APP_EXPECTED: set[tuple[str, str]] = {
    ("unsloth/Llama-3.2-3B-Instruct-bnb-4bit", "app/llm.py"),
    ("acme-corp/support-lora-v2", "app/llm.py"),
    ("acme-corp/ticket-router", "app/llm.py"),
    ("deepseek-ai/DeepSeek-R1-0528", "app/llm.py"),
    ("BAAI/bge-m3", "app/llm.py"),
    ("black-forest-labs/FLUX.1-dev", "app/images.py"),
    ("stabilityai/stable-diffusion-xl-base-1.0", "app/images.py"),
    ("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", "app/images.py"),
    ("Qwen/Qwen3-Coder-30B-A3B-Instruct", "app/images.py"),
    ("microsoft/Phi-4-mini-instruct", "app/images.py"),
    ("mistralai/Mistral-Small-3.1-24B-Instruct-2503", "app/serve_vllm.py"),
    ("cross-encoder/ms-marco-MiniLM-L-6-v2", "app/serve_vllm.py"),
    ("Xenova/all-MiniLM-L6-v2", "web/embed.ts"),
    ("onnx-community/Qwen2.5-0.5B-Instruct-ONNX", "web/embed.ts"),
    ("meta-llama/Llama-3.1-8B-Instruct", "Dockerfile"),
    ("BAAI/bge-large-en-v1.5", "Dockerfile"),
    ("ggml-org/gemma-3-4b-it-GGUF", "Dockerfile"),
    ("Qwen/Qwen2.5-7B-Instruct", "Dockerfile"),
    ("bartowski/Llama-3.2-3B-Instruct-GGUF", "scripts/serve.sh"),
    ("ggml-org/Qwen3-1.7B-GGUF", "scripts/serve.sh"),
    ("acme-corp/private-classifier", "scripts/serve.sh"),
    ("lmstudio-community/gemma-3-12b-it-GGUF", "scripts/serve.sh"),
    ("tiiuae/falcon-7b-instruct", "scripts/serve.sh"),
    ("bartowski/Qwen2.5-Coder-7B-Instruct-GGUF", "Modelfile"),
    ("HuggingFaceH4/zephyr-7b-beta", "docker-compose.yml"),
    ("google/gemma-2-9b-it", "docker-compose.yml"),
    ("sentence-transformers/all-mpnet-base-v2", ".github/workflows/ci.yml"),
    ("nvidia/Llama-3.1-Nemotron-Nano-8B-v1", "Makefile"),
    ("mistralai/Mistral-7B-Instruct-v0.3", "config/train.yaml"),
    ("Qwen/Qwen2.5-72B-Instruct", "config/train.yaml"),
    ("BAAI/bge-reranker-v2-m3", "config/train.yaml"),
    ("allenai/OLMo-2-1124-7B-Instruct", "config/train.yaml"),
    ("allenai/Molmo-7B-D-0924", "config/train.yaml"),
    ("microsoft/phi-4", "config/models.toml"),
    ("Alibaba-NLP/gte-modernbert-base", "config/models.toml"),
    ("HuggingFaceTB/SmolLM2-360M-Instruct", "config/settings.json"),
    ("ibm-granite/granite-3.3-8b-instruct", "config/settings.json"),
    ("CohereLabs/aya-expanse-8b", ".env"),
    ("01-ai/Yi-1.5-9B-Chat", "config/app.ini"),
    ("meta-llama/Llama-3.1-8B", "adapters/support/adapter_config.json"),
    ("HuggingFaceTB/SmolLM2-1.7B", "exported/config.json"),
    ("intfloat/multilingual-e5-large", "notebooks/explore.ipynb"),
    ("nomic-ai/nomic-embed-text-v1.5", "notebooks/explore.ipynb"),
}
"""Every use in APP_FILES (not the comment mentions, not the suppressed line)."""

APP_COMMENTS = {("mistralai/Mistral-7B-v0.1", "app/llm.py"), ("some-org/commented-out", "scripts/serve.sh")}
APP_SUPPRESSED = {("google-bert/bert-base-uncased", "app/llm.py")}

SECOND_FILES: dict[str, str] = {
    "pyproject.toml": '[project]\nname = "rag-service"\ndependencies = ["fastapi", "sentence-transformers"]\n',
    "rag/settings.py": '''\
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    llm_model: str = "some-user/my-llama-finetune"
    embedding_model_name: str = "BAAI/bge-m3"
    chunk_size: int = 512
    storage_path: str = "data/index"
    content_type: str = "application/json"
''',
    "rag/pipeline.py": '''\
import argparse

from diffusers import AutoPipelineForText2Image
from FlagEmbedding import FlagReranker
from transformers import AutoModelForCausalLM

def build(model_id: str = "Qwen/Qwen3-Coder-480B-A35B-Instruct"):
    return AutoModelForCausalLM.from_pretrained(model_id, trust_remote_code=True)

def images():
    return AutoPipelineForText2Image.from_pretrained("stabilityai/sdxl-turbo")

reranker = FlagReranker("BAAI/bge-reranker-base", use_fp16=True)
parser = argparse.ArgumentParser()
parser.add_argument("--model", default="mlx-community/Qwen2.5-7B-Instruct-4bit")
parser.add_argument("--out", default="runs/2024/05")
cfg = {"model": "nomic-ai/modernbert-embed-base", "endpoint": "https://api.example.com/v1/chat"}
''',
    "deploy/k8s.yaml": '''\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: tei
          image: ghcr.io/huggingface/text-embeddings-inference:cpu-1.5
          args: ["--model-id", "BAAI/bge-small-en-v1.5"]
        - name: vllm
          image: vllm/vllm-openai:v0.8.5
          args: ["--model=RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8", "--served-model-name=acme/chat"]
''',
    ".github/workflows/release.yml": '''\
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          tags: acme/rag:latest
''',
    "README.md": "# RAG service\n\nBuilt on BAAI/bge-m3; see https://huggingface.co/spaces/acme/demo.\n",
}
"""A second, realistic service (the other user of issue 15)."""

SECOND_EXPECTED: set[tuple[str, str]] = {
    ("some-user/my-llama-finetune", "rag/settings.py"),
    ("BAAI/bge-m3", "rag/settings.py"),
    ("Qwen/Qwen3-Coder-480B-A35B-Instruct", "rag/pipeline.py"),
    ("stabilityai/sdxl-turbo", "rag/pipeline.py"),
    ("BAAI/bge-reranker-base", "rag/pipeline.py"),
    ("mlx-community/Qwen2.5-7B-Instruct-4bit", "rag/pipeline.py"),
    ("nomic-ai/modernbert-embed-base", "rag/pipeline.py"),
    ("BAAI/bge-small-en-v1.5", "deploy/k8s.yaml"),
    ("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8", "deploy/k8s.yaml"),
}
