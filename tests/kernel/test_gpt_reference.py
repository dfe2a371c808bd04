"""tsgpu's GPT-2 against Hugging Face transformers, both directions:
transformers writes a tiny random checkpoint that `gpt.load` reads, and
transformers reads what `gpt.create(...).save` wrote. Logits must agree to
1e-4 and greedy generation token for token."""
import json
import pathlib
import subprocess

import numpy as np
import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

ROOT = pathlib.Path(__file__).resolve().parents[2]
HELPER = ROOT / "tests" / "kernel" / "gpt_reference.js"
IDS = [[5, 17, 3, 42, 8, 0, 63, 21, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9]]
ATOL = 1e-4


def run_helper(*args):
    if not (ROOT / "build" / "kernel" / "index.js").exists():
        pytest.fail("build/kernel/index.js is missing: run `npx tsc -p tsconfig.json` first")
    result = subprocess.run(["node", str(HELPER), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def tiny_config():
    return GPT2Config(vocab_size=67, n_positions=24, n_embd=32, n_layer=2, n_head=4, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=66, eos_token_id=66)


def test_tsgpu_loads_a_transformers_checkpoint_with_the_same_logits_and_greedy_tokens(tmp_path):
    torch.manual_seed(0)
    model = GPT2LMHeadModel(tiny_config()).eval()
    with torch.no_grad():  # biases and LayerNorm away from 0/1 so a mix-up shows
        for name, param in model.named_parameters():
            if name.endswith("bias") or "ln_" in name:
                param.add_(torch.randn_like(param) * 0.1)
    model.save_pretrained(tmp_path, safe_serialization=True)
    new_tokens = 12
    ours = run_helper("load", tmp_path, json.dumps(IDS), new_tokens)
    with torch.no_grad():
        expected = model(torch.tensor(IDS)).logits.numpy()
        prompt = torch.tensor(IDS[:1])
        # An explicit mask: with only pad_token_id, transformers would mask the prompt's id-0 token.
        greedy = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=new_tokens, do_sample=False, pad_token_id=0)
        greedy = greedy[0, len(IDS[0]):].tolist()
    actual = np.array(ours["logits"], dtype=np.float32)
    assert actual.shape == expected.shape
    diff = float(np.abs(actual - expected).max())
    print(f"load: max |logits diff| = {diff:.3g}")
    assert diff <= ATOL
    assert ours["greedy"] == greedy


def test_transformers_loads_what_tsgpu_saved_with_the_same_logits(tmp_path):
    config = {"vocabSize": 67, "contextLength": 24, "layers": 2, "heads": 4, "embedding": 32, "dropout": 0.1, "seed": 7}
    ours = run_helper("create", tmp_path, json.dumps(config), json.dumps(IDS))
    model = GPT2LMHeadModel.from_pretrained(tmp_path).eval()
    assert model.config.n_layer == 2 and model.config.vocab_size == 67
    with torch.no_grad():
        expected = model(torch.tensor(IDS)).logits.numpy()
    diff = float(np.abs(np.array(ours["logits"], dtype=np.float32) - expected).max())
    print(f"save: max |logits diff| = {diff:.3g}")
    assert diff <= ATOL
