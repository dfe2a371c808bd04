"""One PyTorch CPU measurement: trains the MLP or the CNN for one MNIST epoch.

Same data (the IDX files tsgpu reads, parsed with numpy), same models, Adam
(lr 1e-3), batch 128, softmax cross-entropy, shuffled batches, a short warm-up.
Prints one JSON line.

    bench/.venv/bin/python bench/cpu_training/torch_train.py --model mlp --data DIR [--threads N]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank)
    if array.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {array.size} values, expected {dims}")
    return array.reshape(dims)


def find(data_dir, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(data_dir, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{name}(.gz) not in {data_dir}")


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class Cnn(nn.Module):
    """PyTorch examples/mnist Net."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return self.fc2(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batches", type=int, default=0, help="train only this many batches and extrapolate")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    images = read_idx(find(args.data, "train-images-idx3-ubyte"))
    labels = read_idx(find(args.data, "train-labels-idx1-ubyte"))
    x_all = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [60000, 1, 28, 28]
    y_all = torch.from_numpy(labels.astype(np.int64))

    model = Mlp() if args.model == "mlp" else Cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = 128

    def step(x, y):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    model.train()
    for i in range(4):  # warm-up
        step(x_all[i * batch:(i + 1) * batch], y_all[i * batch:(i + 1) * batch])

    n = x_all.shape[0]
    full_batches = (n + batch - 1) // batch
    batches = min(args.batches, full_batches) if args.batches else full_batches
    start = time.perf_counter()
    order = torch.randperm(n)
    total = 0.0
    for b in range(batches):
        index = order[b * batch:(b + 1) * batch]
        loss = step(x_all[index], y_all[index])
        total += loss.item()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "framework": "PyTorch CPU",
        "model": args.model,
        "detail": f"torch {torch.__version__}, {torch.get_num_threads()} threads",
        "batches": batches,
        "measuredSeconds": seconds,
        "epochSeconds": seconds * full_batches / batches,
        "extrapolated": batches < full_batches,
        "loss": total / batches,
    }))


if __name__ == "__main__":
    main()
