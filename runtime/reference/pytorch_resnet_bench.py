#!/usr/bin/env python3
"""PyTorch CPU reference for `fedklpr bench training`.

Builds the same re-ID network as the platform's DJL engine -- a torchvision-style ResNet
(18/34/50) with the last stride set to 1, global average pooling, a BNNeck (plus a linear
embedding when the embedding size differs from the backbone's) and a bias-free identity
classifier -- and times SGD training steps on random images of the same shape. Prints one JSON
object per line. Written here (not imported from torchvision) so that only `python3-torch`
(Debian) is needed.

usage: pytorch_resnet_bench.py <architecture> <height> <width> <batch> <identities> <steps> <threads>

With `serve` as <steps>, the network is built and warmed up once, a line {"ready": ...} is printed,
and then every line read from standard input (a number of steps) is answered with one timing line;
at the end of the input a last line gives the peak memory. `fedklpr bench training` uses this to
time the two frameworks in turns, so that a change in the machine's load falls on both.
"""
import json
import sys
import time

import torch
from torch import nn


class Unit(nn.Module):
    def __init__(self, bottleneck, inputs, width, stride):
        super().__init__()
        outputs = width * 4 if bottleneck else width
        if bottleneck:
            shapes = [(inputs, width, 1, 1), (width, width, 3, stride), (width, outputs, 1, 1)]
        else:
            shapes = [(inputs, width, 3, stride), (width, width, 3, 1)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, k, s, k // 2, bias=False) for i, o, k, s in shapes)
        self.norms = nn.ModuleList(nn.BatchNorm2d(o) for _, o, _, _ in shapes)
        self.shortcut = None
        if stride != 1 or inputs != outputs:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride, bias=False), nn.BatchNorm2d(outputs))

    def forward(self, x):
        out = x
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
            out = norm(conv(out))
            if i < len(self.convs) - 1:
                out = torch.relu(out)
        return torch.relu(out + (x if self.shortcut is None else self.shortcut(x)))


DEPTHS = {"resnet18": (False, [2, 2, 2, 2]), "resnet34": (False, [3, 4, 6, 3]), "resnet50": (True, [3, 4, 6, 3])}


class ReidNet(nn.Module):
    def __init__(self, architecture, embedding, identities, last_stride=1):
        super().__init__()
        bottleneck, units = DEPTHS[architecture]
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        channels = 64
        for stage, (width, count) in enumerate(zip([64, 128, 256, 512], units)):
            stride = 1 if stage == 0 else (last_stride if stage == 3 else 2)
            for u in range(count):
                layers.append(Unit(bottleneck, channels, width, stride if u == 0 else 1))
                channels = width * 4 if bottleneck else width
        self.backbone = nn.Sequential(*layers)
        self.embedding = None if embedding == channels else nn.Linear(channels, embedding)
        self.neck = nn.BatchNorm1d(embedding)
        self.head = nn.Linear(embedding, identities, bias=False)

    def forward(self, x):
        features = self.backbone(x).mean(dim=(2, 3))
        if self.embedding is not None:
            features = self.embedding(features)
        return self.head(self.neck(features))


def multiply_adds(model, height, width):
    total = [0]

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            total[0] += output.numel() * module.in_channels * k // module.groups
        elif isinstance(module, nn.Linear):
            total[0] += output.numel() * module.in_features

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, height, width))
    for hook in hooks:
        hook.remove()
    return total[0]


def main():
    architecture, height, width, batch, identities, steps, threads = sys.argv[1:8]
    serve = steps == "serve"
    height, width, batch, identities, threads = map(int, (height, width, batch, identities, threads))
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    embedding = 2048 if architecture == "resnet50" else 512
    model = ReidNet(architecture, embedding, identities)
    macs = multiply_adds(model, height, width)
    model.train()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_function = nn.CrossEntropyLoss()
    images = torch.randn(batch, 3, height, width)
    labels = torch.randint(0, identities, (batch,))

    def step():
        optimiser.zero_grad()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimiser.step()

    def timed(count):
        started = time.perf_counter()
        for _ in range(count):
            step()
        seconds = time.perf_counter() - started
        return {"steps": count, "seconds": seconds, "images_per_second": count * batch / seconds}

    step()  # warm-up: first-call allocations and kernel selection
    about = {"architecture": architecture, "framework": "PyTorch " + torch.__version__ + " CPU", "threads": threads,
             "batch": batch, "forward_multiply_adds": macs}
    if not serve:
        print(json.dumps({**about, **timed(int(steps)), "peak_rss_bytes": peak_resident_bytes()}))
        return
    print(json.dumps({"ready": True, **about}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(timed(int(line))), flush=True)
    print(json.dumps({**about, "peak_rss_bytes": peak_resident_bytes()}), flush=True)


def peak_resident_bytes():
    """VmHWM: this program's own peak. Not getrusage's ru_maxrss, which Linux carries across exec, so
    that a child of a large JVM would report the JVM's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return float("nan")


if __name__ == "__main__":
    main()
