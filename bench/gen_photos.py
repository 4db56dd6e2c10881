#!/usr/bin/env python3
"""Generate photo-like JPEGs for the photo benchmark (bench/photos.sh).

usage: gen_photos.py N OUT_DIR [--size 3000x2000] [--quality 90] [--seed 42]

Writes OUT_DIR/photo-000.jpg … photo-(N-1).jpg, deterministic for a given seed. Each is
built the way a camera picture looks to an encoder, so resizing and encoding costs what
they cost on real photos: a sky-to-ground colour gradient, soft shapes (smooth regions with
edges), low-frequency "cloud" variation at several scales, and fine sensor grain, saved as
a baseline JPEG at quality 90 with 4:2:0 chroma subsampling (as phones save them; about
2–4 MB at 3000×2000). Needs Pillow and numpy (pip install pillow numpy).
"""
import argparse
import multiprocessing
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def octave_noise(rng, width, height, cells):
    """Smooth random field in [-1, 1]: a cells-wide grid of random values upsampled bicubically."""
    grid_h = max(2, cells * height // width)
    small = rng.uniform(0, 255, size=(grid_h, cells)).astype(np.uint8)
    big = Image.fromarray(small, "L").resize((width, height), Image.BICUBIC)
    return np.asarray(big, dtype=np.float32) / 127.5 - 1.0


def photo(seed, width, height):
    rng = np.random.default_rng(seed)
    # Vertical gradient between two random colours (sky above, ground below), with a horizon.
    top = rng.uniform(60, 230, 3)
    bottom = rng.uniform(20, 180, 3)
    horizon = rng.uniform(0.35, 0.65)
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    t = 1 / (1 + np.exp(-(y - horizon) * 12))  # soft horizon
    img = (top[None, None, :] * (1 - t[..., None]) + bottom[None, None, :] * t[..., None])
    img = np.broadcast_to(img, (height, width, 3)).copy()
    # Soft shapes: buildings, people, objects (drawn, then blurred a little: lens softness).
    layer = Image.new("RGB", (width, height), (0, 0, 0))
    mask = Image.new("L", (width, height), 0)
    draw, mdraw = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    for _ in range(int(rng.integers(12, 30))):
        x0, y0 = int(rng.uniform(0, width)), int(rng.uniform(height * 0.2, height))
        w, h = int(rng.uniform(80, width / 3)), int(rng.uniform(80, height / 2))
        colour = tuple(int(c) for c in rng.uniform(0, 255, 3))
        box = [x0 - w // 2, y0 - h, x0 + w // 2, y0]
        if rng.random() < 0.5:
            draw.rectangle(box, fill=colour); mdraw.rectangle(box, fill=int(rng.uniform(150, 255)))
        else:
            draw.ellipse(box, fill=colour); mdraw.ellipse(box, fill=int(rng.uniform(150, 255)))
    layer = layer.filter(ImageFilter.GaussianBlur(2))
    mask = mask.filter(ImageFilter.GaussianBlur(3))
    a = np.asarray(mask, dtype=np.float32)[..., None] / 255
    img = img * (1 - a) + np.asarray(layer, dtype=np.float32) * a
    # Light and texture at several scales (shading, foliage, fabric), per channel a little apart.
    shade = sum(octave_noise(rng, width, height, c) * amp for c, amp in ((4, 28), (16, 16), (64, 10), (256, 8), (1000, 6)))
    img += shade[..., None] * rng.uniform(0.8, 1.2, 3)[None, None, :]
    # Sensor grain: luminance and a little chroma noise.
    img += rng.normal(0, 5.0, (height, width, 1)).astype(np.float32)
    img += rng.normal(0, 1.5, (height, width, 3)).astype(np.float32)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--size", default="3000x2000")
    ap.add_argument("--quality", type=int, default=90)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    os.makedirs(args.out, exist_ok=True)
    jobs = [(args.seed * 100003 + i, width, height, os.path.join(args.out, f"photo-{i:03d}.jpg"), args.quality)
            for i in range(args.n)]
    with multiprocessing.Pool() as pool:
        pool.map(save, jobs, chunksize=1)


def save(job):
    seed, width, height, path, quality = job
    photo(seed, width, height).save(path, "JPEG", quality=quality, subsampling=2)


if __name__ == "__main__":
    main()
