#!/usr/bin/env python3
"""PyTorch twin of Zebra's sequence VAE, for a side-by-side throughput comparison.

Same architecture and sizes as Sources/Learning (GRU encoder -> linear head -> (mu, log var);
reparameterisation; GRU decoder fed [z, static, context, previous recorded flags] -> linear head with
residual mean and log-variance, recorded logits, event logits, end-of-record logit, log-gap mean and
log-variance), the same losses (masked Gaussian NLL, masked Bernoulli, KL to N(0, I)), Adam with
global-norm clipping, on data of the same shapes: the sequence lengths and feature widths that
`zebra-bench vae` writes to Output/bench/vae-shapes.json. The feature values are random: only the
arithmetic is compared, not what is learned.

    python3 Benchmarks/pytorch_vae.py [Output/bench/vae-shapes.json]

Prints training sequences/s and decoder-only sampling patients/s for each hidden size and thread count.
"""
import json
import sys
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


class SequenceVAE(nn.Module):
    def __init__(self, enc_in, dec_in_without_z, hidden, latent, measures, events):
        super().__init__()
        self.latent, self.measures, self.events = latent, measures, events
        self.encoder = nn.GRU(enc_in, hidden)
        self.encoder_head = nn.Linear(hidden, 2 * latent)
        self.decoder = nn.GRU(latent + dec_in_without_z, hidden)
        self.decoder_head = nn.Linear(hidden, 3 * measures + events + 3)

    def forward(self, enc_x, dec_x, lengths, eps):
        packed = pack_padded_sequence(enc_x, lengths, enforce_sorted=False)
        _, h = self.encoder(packed)
        head = self.encoder_head(h[0])
        mu, logvar = head[:, :self.latent], head[:, self.latent:].clamp(-12, 8)
        z = mu + torch.exp(0.5 * logvar) * eps
        steps = dec_x.shape[0]
        dec_in = torch.cat([z.unsqueeze(0).expand(steps, -1, -1), dec_x], dim=2)
        out, _ = self.decoder(pack_padded_sequence(dec_in, lengths, enforce_sorted=False))
        out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=steps)
        return self.decoder_head(out), mu, logvar


def loss(model, out, mu, logvar, batch):
    m, e = model.measures, model.events
    valid, observed, residual, event_w, event_y, gap_w, gap_y, end_y = batch["targets"]
    mean, lv = out[..., :m], out[..., m:2 * m].clamp(-9, 6)
    nll = 0.5 * (lv + (residual - mean) ** 2 * torch.exp(-lv) + 1.8378770664093453)
    values = (nll * observed).sum()
    bce = nn.functional.binary_cross_entropy_with_logits
    recorded = (bce(out[..., 2 * m:3 * m], observed, reduction="none") * valid.unsqueeze(-1)).sum()
    events = (bce(out[..., 3 * m:3 * m + e], event_y, reduction="none") * event_w).sum()
    end = (bce(out[..., 3 * m + e], end_y, reduction="none") * valid).sum()
    glv = out[..., 3 * m + e + 2].clamp(-9, 6)
    gap = (0.5 * (glv + (gap_y - out[..., 3 * m + e + 1]) ** 2 * torch.exp(-glv)) * gap_w).sum()
    kl = 0.5 * (mu ** 2 + torch.exp(logvar) - 1 - logvar).sum()
    return (values + recorded + events + end + gap + kl) / mu.shape[0]


def make_batch(lengths, shapes, generator):
    b, steps = len(lengths), max(lengths)
    m, e = shapes["measures"], shapes["events"]
    enc = torch.randn(steps, b, shapes["encoder_input"], generator=generator)
    dec = torch.randn(steps, b, shapes["decoder_input"] - shapes["latent"], generator=generator)
    valid = torch.zeros(steps, b)
    for j, n in enumerate(lengths):
        valid[:n, j] = 1
    observed = (torch.rand(steps, b, m, generator=generator) < 0.8).float() * valid.unsqueeze(-1)
    residual = torch.randn(steps, b, m, generator=generator)
    event_w = valid.unsqueeze(-1).expand(-1, -1, e).clone()
    event_y = (torch.rand(steps, b, e, generator=generator) < 0.02).float()
    gap_w, gap_y, end_y = valid.clone(), torch.randn(steps, b, generator=generator) * 0.3, torch.zeros(steps, b)
    for j, n in enumerate(lengths):
        end_y[n - 1, j] = 1
        gap_w[n - 1, j] = 0
    return {"enc": enc, "dec": dec, "lengths": torch.tensor(lengths),
            "targets": (valid, observed, residual, event_w, event_y, gap_w, gap_y, end_y)}


def train_throughput(shapes, hidden, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(1)
    model = SequenceVAE(shapes["encoder_input"], shapes["decoder_input"] - shapes["latent"], hidden,
                        shapes["latent"], shapes["measures"], shapes["events"])
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    lengths, size = shapes["lengths"], shapes["batch"]
    batches = [make_batch(lengths[i:i + size], shapes, generator) for i in range(0, len(lengths), size)]

    def epoch():
        for batch in batches:
            eps = torch.randn(len(batch["lengths"]), shapes["latent"], generator=generator)
            out, mu, logvar = model(batch["enc"], batch["dec"], batch["lengths"], eps)
            optimiser.zero_grad()
            loss(model, out, mu, logvar, batch).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()

    epoch()  # warm-up
    start = time.perf_counter()
    for _ in range(shapes["epochs"]):
        epoch()
    seconds = time.perf_counter() - start
    parameters = sum(p.numel() for p in model.parameters())
    return len(lengths) * shapes["epochs"] / seconds, parameters, model


@torch.no_grad()
def sampling_throughput(shapes, model, threads):
    torch.set_num_threads(threads)
    cell = nn.GRUCell(model.decoder.input_size, model.decoder.hidden_size)
    cell.weight_ih.copy_(model.decoder.weight_ih_l0)
    cell.weight_hh.copy_(model.decoder.weight_hh_l0)
    cell.bias_ih.copy_(model.decoder.bias_ih_l0)
    cell.bias_hh.copy_(model.decoder.bias_hh_l0)
    m, width = shapes["measures"], shapes["decoder_input"]
    patients, steps = shapes["sample_patients"], shapes["sample_steps"]
    start = time.perf_counter()
    for _ in range(patients):
        h = torch.zeros(1, model.decoder.hidden_size)
        x = torch.randn(1, width) * 0.1
        for _ in range(steps):
            h = cell(x, h)
            out = model.decoder_head(h)
            x[0, width - 2 * m + 1::2] = (out[0, 2 * m:3 * m] > 0).float()
            _ = out[0, 0] + torch.randn(1) * 0.01
    return patients / (time.perf_counter() - start)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "Output/bench/vae-shapes.json"
    shapes = json.load(open(path))
    print(f"PyTorch {torch.__version__} (CPU), {len(shapes['lengths'])} sequences, batch {shapes['batch']}, "
          f"latent {shapes['latent']}, {shapes['epochs']} timed epochs")
    print("hidden  threads  parameters  train seq/s  ms/batch  decoder-only sampling patients/s (40 visits)")
    for hidden in shapes["hidden"]:
        for threads in (1, 2):
            rate, parameters, model = train_throughput(shapes, hidden, threads)
            sampling = sampling_throughput(shapes, model, threads)
            print(f"{hidden:6d}  {threads:7d}  {parameters:10d}  {rate:11.0f}  {1000 * shapes['batch'] / rate:8.2f}  {sampling:46.0f}")


if __name__ == "__main__":
    main()
