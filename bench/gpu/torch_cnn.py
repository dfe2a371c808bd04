"""PyTorch eager references for bench/gpu/cnn_epoch.ts and resnet50_step.ts,
the same models as bench/workloads/cnn_models.ts (NCHW here, PyTorch's native
layout; tsgpu runs NHWC), Adam, cross-entropy, data already on the GPU.
Each workload runs in fp32 and with TF32 matmuls/convolutions, once each.
Prints one JSON line.

Usage: python3 torch_cnn.py mnist IMAGES.f32 LABELS.u8 COUNT BATCH LEARNING_RATE
       python3 torch_cnn.py resnet50 BATCH STEPS LEARNING_RATE
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def mnist_net() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10),
    )


class Bottleneck(nn.Module):
    def __init__(self, cin: int, filters: int, stride: int) -> None:
        super().__init__()
        cout = filters * 4
        self.body = nn.Sequential(
            nn.Conv2d(cin, filters, 1, bias=False), nn.BatchNorm2d(filters), nn.ReLU(),
            nn.Conv2d(filters, filters, 3, stride, 1, bias=False), nn.BatchNorm2d(filters), nn.ReLU(),
            nn.Conv2d(filters, cout, 1, bias=False), nn.BatchNorm2d(cout),
        )
        self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.body(x) + self.shortcut(x))


def resnet50() -> nn.Module:
    layers: list[nn.Module] = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for stage, blocks in enumerate([3, 4, 6, 3]):
        for block in range(blocks):
            layers.append(Bottleneck(cin, 64 * 2**stage, 2 if block == 0 and stage > 0 else 1))
            cin = 64 * 2**stage * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 1000)]
    return nn.Sequential(*layers)


def set_tf32(enabled: bool) -> None:
    torch.backends.cuda.matmul.allow_tf32 = enabled
    torch.backends.cudnn.allow_tf32 = enabled


def mnist(images_path: str, labels_path: str, count: int, batch: int, lr: float) -> dict:
    device = torch.device("cuda")
    xs = torch.from_numpy(np.fromfile(images_path, dtype=np.float32).reshape(count, 1, 28, 28)).to(device)
    ys = torch.from_numpy(np.fromfile(labels_path, dtype=np.uint8).astype(np.int64)).to(device)
    result = {}
    for mode in ["fp32", "tf32"]:
        set_tf32(mode == "tf32")
        torch.manual_seed(0)
        model = mnist_net().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        loss_fn = nn.CrossEntropyLoss()

        def epoch(limit: int) -> float:
            torch.cuda.synchronize()
            start = time.perf_counter()
            order = torch.randperm(count, device=device)
            for i in range(0, min(limit, count), batch):
                index = order[i : i + batch]
                optimizer.zero_grad(set_to_none=True)
                loss_fn(model(xs[index]), ys[index]).backward()
                optimizer.step()
            torch.cuda.synchronize()
            return time.perf_counter() - start

        epoch(batch * 20)  # warm-up: cuDNN algorithm choice, allocator
        result[mode] = {"epoch_seconds": epoch(count)}
    return result


def resnet(batch: int, steps: int, lr: float) -> dict:
    device = torch.device("cuda")
    torch.manual_seed(0)
    xs = torch.rand(batch, 3, 224, 224, device=device)
    ys = torch.randint(0, 1000, (batch,), device=device)
    result = {}
    for mode in ["fp32", "tf32"]:
        set_tf32(mode == "tf32")
        model = resnet50().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        loss_fn = nn.CrossEntropyLoss()
        times = []
        for i in range(steps + 2):
            torch.cuda.synchronize()
            start = time.perf_counter()
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(xs), ys).backward()
            optimizer.step()
            torch.cuda.synchronize()
            if i >= 2:
                times.append(time.perf_counter() - start)
        result[mode] = {"step_seconds": statistics.median(times), "step_times": times}
        del model, optimizer
        torch.cuda.empty_cache()
    return result


def main() -> None:
    torch.backends.cudnn.benchmark = True
    if sys.argv[1] == "mnist":
        result = mnist(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    else:
        result = resnet(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    result.update({"system": "pytorch-eager", "torch": torch.__version__, "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0)})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
