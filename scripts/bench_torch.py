"""PyTorch reference for `npm run bench`: the workbench's models, layer for layer, on the same data shape.

Each net equals its TypeScript builder in src/main/engine/models (same layers, widths, padding, bias and
normalisation; GroupNorm eps 1e-5 as group-norm.ts):
  mlp       flatten - dense 200 - ReLU - dense 200 - ReLU - dense classes                      (mlp.ts)
  cnn       conv3x3 16 same + ReLU + maxpool2, conv3x3 32 same + ReLU + maxpool2, dense 64 + ReLU,
            dense classes                                                                      (cnn.ts)
  vgg9      the authors' layout: [conv3x3 64 (pad 1, bias) - GroupNorm(8, affine) - ReLU] x2 - maxpool2,
            [conv 128 - GN(8) - ReLU] x2 - maxpool2, flatten - dense 256 - ReLU - dense classes (vgg9.ts)
  resnet18  CIFAR stem (conv3x3 64 stride 1 pad 1, no bias) + GN + ReLU, basic blocks [2,2,2,2] (34: [3,4,6,3])
  resnet34  of widths 64/128/256/512, first block of stages 2-4 stride 2, convs without bias, GroupNorm with
            C/16 groups and no affine, 1x1 conv + GN projection when the shape changes, global average pool,
            dense classes                                                                      (resnet.ts)
Same batch size, Adam (lr 1e-3), one epoch after a warm-up epoch; on the CPU one process with `--threads`
intra-op threads, on CUDA with a synchronise before the clock stops. The flatten order differs (torch CHW, ours
HWC), which changes nothing about the work. Prints one JSON line.
"""
import argparse
import json
import time

import torch
import torch.nn as nn

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--model", default="cnn", choices=["mlp", "cnn", "vgg9", "resnet18", "resnet34"])
p.add_argument("--samples", type=int, default=4096)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--threads", type=int, default=1, help="intra-op threads on the CPU")
p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
p.add_argument("--shape", default="28,28,1", help="input height,width,channels (HWC, as the workbench)")
p.add_argument("--classes", type=int, default=10)
a = p.parse_args()
h, w, c = (int(v) for v in a.shape.split(","))
EPS = 1e-5


def gn(channels, groups, affine):
    return nn.GroupNorm(groups, channels, eps=EPS, affine=affine)


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(h * w * c, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(), nn.Linear(200, a.classes)
    )


def cnn():
    return nn.Sequential(
        nn.Conv2d(c, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * (h // 2 // 2) * (w // 2 // 2), 64), nn.ReLU(), nn.Linear(64, a.classes),
    )


def vgg9(groups=8):
    layers, cin, hh, ww = [], c, h, w
    for item in [64, 64, "M", 128, 128, "M"]:
        if item == "M":
            layers.append(nn.MaxPool2d(2))
            hh, ww = hh // 2, ww // 2
        else:
            layers += [nn.Conv2d(cin, item, 3, padding=1, bias=True), gn(item, groups, True), nn.ReLU()]
            cin = item
    return nn.Sequential(
        *layers, nn.Flatten(), nn.Linear(hh * ww * cin, 256), nn.ReLU(), nn.Linear(256, a.classes)
    )


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        g = max(1, cout // 16)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = gn(cout, g, False)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = gn(cout, g, False)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), gn(cout, g, False))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (self.downsample(x) if self.downsample is not None else x))


class ResNet(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 64, 3, 1, 1, bias=False)
        self.bn1 = gn(64, 64 // 16, False)
        layers, cin = [], 64
        for stage, (count, cout) in enumerate(zip(blocks, [64, 128, 256, 512])):
            for i in range(count):
                layers.append(BasicBlock(cin, cout, 2 if i == 0 and stage > 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, a.classes)

    def forward(self, x):
        y = self.layers(torch.relu(self.bn1(self.conv1(x))))
        return self.fc(y.mean(dim=(2, 3)))


BUILD = {
    "mlp": mlp,
    "cnn": cnn,
    "vgg9": vgg9,
    "resnet18": lambda: ResNet([2, 2, 2, 2]),
    "resnet34": lambda: ResNet([3, 4, 6, 3]),
}

torch.set_num_threads(a.threads)
torch.manual_seed(0)
dev = torch.device(a.device)
net = BUILD[a.model]().to(dev)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.rand(a.samples, c, h, w, device=dev)
y = torch.randint(0, a.classes, (a.samples,), device=dev)
loss_fn = nn.CrossEntropyLoss()


def sync():
    if a.device == "cuda":
        torch.cuda.synchronize()


def epoch():
    for i in range(0, a.samples, a.batch):
        opt.zero_grad()
        loss = loss_fn(net(x[i:i + a.batch]), y[i:i + a.batch])
        loss.backward()
        opt.step()


epoch()  # warm-up: allocator, kernel selection (cuDNN autotuning)
sync()
t0 = time.perf_counter()
epoch()
sync()
dt = time.perf_counter() - t0
print(json.dumps({
    "model": a.model, "device": a.device, "threads": a.threads, "samplesPerSecond": a.samples / dt,
    "torch": torch.__version__,
}))
