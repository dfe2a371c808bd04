"""PyTorch eager reference for bench/gpu/gpt_tokens.ts: GPT-2 (pre-LayerNorm,
GELU tanh, tied LM head, scaled_dot_product_attention, no dropout) trained
with AdamW and gradient clipping on random token windows already on the
GPU, fp32 or TF32 matmuls. Reads the workload as one JSON argument, prints
one JSON line with training tokens per second (loss read back every step,
as tsgpu's fit does).

Usage: python3 torch_gpt.py '{"layers":4,"embedding":256,"heads":4,"contextLength":256,"batchSize":16,
                              "vocabSize":50257,"learningRate":3e-4,"tf32":false,"steps":20,"warmup":3}'
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    def __init__(self, c: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.ln_1, self.ln_2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.c_attn, self.c_proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.c_fc, self.mlp_proj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab: int, context: int, layers: int, c: int, heads: int) -> None:
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, c), nn.Embedding(context, c)
        self.h = nn.ModuleList(Block(c, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, ids: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1], device=ids.device))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.reshape(-1))


def main() -> None:
    w = json.loads(sys.argv[1])
    torch.backends.cuda.matmul.allow_tf32 = bool(w["tf32"])
    torch.backends.cudnn.allow_tf32 = bool(w["tf32"])
    device = torch.device("cuda")
    torch.manual_seed(0)
    b, t = w["batchSize"], w["contextLength"]
    model = Gpt(w["vocabSize"], t, w["layers"], w["embedding"], w["heads"]).to(device)
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=w["learningRate"], betas=(0.9, 0.95), eps=1e-8)
    data = torch.randint(0, w["vocabSize"], (1 << 20,), device=device)

    def step() -> float:
        starts = torch.randint(0, data.numel() - t - 1, (b,), device=device)
        index = starts[:, None] + torch.arange(t + 1, device=device)[None, :]
        window = data[index]
        optimizer.zero_grad(set_to_none=True)
        loss = model(window[:, :-1], window[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(w["warmup"]):
        step()
    torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(w["steps"]):
        step()
    torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "system": "pytorch-eager",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "gpu": torch.cuda.get_device_name(0),
        "tf32": bool(w["tf32"]),
        "tokens_per_second": w["steps"] * b * t / seconds,
    }))


if __name__ == "__main__":
    main()
