"""One measurement of `npm run bench:gpt` in its own process: PyTorch on the CPU,
transformers' GPT2LMHeadModel with random weights, prints one JSON line.

  python torch_gpt.py --task train|generate|train-small [--steps N]

train: the bench GPT (4 layers, 4 heads, 256 wide, context 128, vocab 50257), batch 8 x 128,
AdamW (weight decay 0.1 on matrices), dropout 0; generate: greedy, 100 new tokens after an
8-token prompt, batch 1, KV cache; train-small: GPT-2 small (124M), batch 1 x 256, one AdamW step.
"""
import argparse
import json
import time

import torch
import transformers

torch.set_num_threads(2)

SMALL = dict(n_layer=4, n_head=4, n_embd=256, n_positions=128)
GPT2 = dict(n_layer=12, n_head=12, n_embd=768, n_positions=1024)


def model_of(shape):
    config = transformers.GPT2Config(vocab_size=50257, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, activation_function="gelu_new", **shape)
    torch.manual_seed(0)
    return transformers.GPT2LMHeadModel(config)


def train(shape, batch, time_steps, steps, warmup):
    model = model_of(shape)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=3e-4, betas=(0.9, 0.95))
    generator = torch.Generator().manual_seed(1)
    ids = torch.randint(0, 50257, (batch, time_steps + 1), generator=generator)
    losses = []
    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = model(ids[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    return seconds, batch * time_steps / seconds, losses[-1]


def generate():
    model = model_of(SMALL)
    model.eval()
    prompt = torch.arange(1, 9).reshape(1, 8)
    with torch.no_grad():
        model.generate(prompt, max_new_tokens=5, do_sample=False, use_cache=True, pad_token_id=0)
        start = time.perf_counter()
        out = model.generate(prompt, max_new_tokens=100, min_new_tokens=100, do_sample=False, use_cache=True, pad_token_id=0)
        seconds = time.perf_counter() - start
    new = out.shape[1] - 8
    return seconds, new / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", default="train")
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    detail = f"torch {torch.__version__}, transformers {transformers.__version__}, {torch.get_num_threads()} threads"
    if args.task == "generate":
        seconds, rate = generate()
        print(json.dumps({"framework": "PyTorch CPU", "task": "generate", "seconds": seconds, "tokensPerSecond": rate, "detail": detail}))
    elif args.task == "train-small":
        seconds, rate, loss = train(GPT2, 1, 256, 1, 1)
        print(json.dumps({"framework": "PyTorch CPU", "task": "train-small", "seconds": seconds, "tokensPerSecond": rate, "loss": loss, "detail": detail}))
    else:
        seconds, rate, loss = train(SMALL, 8, 128, args.steps, 1)
        print(json.dumps({"framework": "PyTorch CPU", "task": "train", "seconds": seconds, "tokensPerSecond": rate, "loss": loss, "detail": detail}))


main()
