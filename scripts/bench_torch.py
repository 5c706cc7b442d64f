"""PyTorch reference for `npm run bench`: the workbench's default CNN on MNIST-shaped data.

Same net (conv3x3 16 same + ReLU + maxpool2, conv3x3 32 same + ReLU + maxpool2, dense 64 + ReLU,
dense 10), same batch size, Adam, one process with `threads` intra-op threads. Prints one JSON line.
"""
import json
import sys
import time

import torch
import torch.nn as nn

samples, batch, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
net = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10),
)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.rand(samples, 1, 28, 28)
y = torch.randint(0, 10, (samples,))
loss_fn = nn.CrossEntropyLoss()


def epoch():
    for i in range(0, samples, batch):
        opt.zero_grad()
        loss = loss_fn(net(x[i:i + batch]), y[i:i + batch])
        loss.backward()
        opt.step()


epoch()  # warm-up: allocator and kernel selection
t0 = time.perf_counter()
epoch()
dt = time.perf_counter() - t0
print(json.dumps({"threads": threads, "samplesPerSecond": samples / dt, "torch": torch.__version__}))
