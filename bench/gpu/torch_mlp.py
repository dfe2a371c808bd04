"""PyTorch eager reference for bench/gpu/mlp_epoch.ts: one MNIST epoch of the
784-128-10 MLP (relu, softmax cross-entropy, Adam, batch 128), data
already on the GPU. Prints one JSON line with the median epoch time.

Usage: python3 torch_mlp.py IMAGES.f32 LABELS.u8 COUNT EPOCHS LEARNING_RATE
"""
import json
import statistics
import sys
import time

import numpy as np
import torch


def main() -> None:
    images_path, labels_path, count, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    learning_rate = float(sys.argv[5])
    device = torch.device("cuda")
    xs = torch.from_numpy(np.fromfile(images_path, dtype=np.float32).reshape(count, 784)).to(device)
    ys = torch.from_numpy(np.fromfile(labels_path, dtype=np.uint8).astype(np.int64)).to(device)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = 128

    def epoch() -> float:
        torch.cuda.synchronize()
        start = time.perf_counter()
        order = torch.randperm(count, device=device)
        for i in range(0, count, batch):
            index = order[i : i + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[index]), ys[index])
            loss.backward()
            optimizer.step()
        torch.cuda.synchronize()
        return time.perf_counter() - start

    epoch()  # warm-up: cuBLAS handles, caching allocator, kernel selection
    times = [epoch() for _ in range(epochs)]
    with torch.no_grad():
        accuracy = (model(xs).argmax(1) == ys).float().mean().item()
    print(json.dumps({
        "system": "pytorch-eager",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "gpu": torch.cuda.get_device_name(0),
        "epoch_seconds": statistics.median(times),
        "epoch_times": times,
        "train_accuracy": accuracy,
    }))


if __name__ == "__main__":
    main()
