#!/usr/bin/python3
# faiss beside `lopq eval --sweep` (issue 13): IVF-PQ and OPQ+IVF-PQ at the same code size (M bytes per
# vector), printed in the sweep's columns against the share of the base scanned (nprobe lists).
#   scripts/dev/bench-faiss.py BASE.fvecs QUERIES.fvecs TRUTH.ivecs --bytes M [--shares 0.005,0.01,...]
#     [--nlist L] [--threads T] [--seed S] [--train-rows T]
# nlist: the power of two nearest 4*sqrt(N) (faiss's guideline: IVF lists between 4*sqrt(N) and 16*sqrt(N)).
# nprobe per share s: max(1, round(s * nlist)); "scanned" is the mean rows of the probed lists per query.
# "NN among candidates": the list holding the query's true nearest neighbour is among those probed.
# Needs Debian's python3-faiss (apt-get install -y python3-faiss); a developer benchmark only. Debian's faiss
# links the reference libblas.so.3; LD_PRELOAD=.../libopenblas.so.0 OPENBLAS_NUM_THREADS=1 makes its training fast.
import argparse
import math
import sys
import time

import faiss
import numpy as np


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    d = raw[0]
    return raw.reshape(-1, d + 1)[:, 1:].copy().view(dtype)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("queries")
    p.add_argument("truth")
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--shares", default="0.005,0.01,0.02,0.05,0.1,0.2")
    p.add_argument("--nlist", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--train-rows", type=int, default=0, help="train on a seeded sample of this many rows (0: all)")
    a = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    faiss.omp_set_num_threads(a.threads)
    xb = read_vecs(a.base, np.float32)
    xq = read_vecs(a.queries, np.float32)
    nearest = read_vecs(a.truth, np.int32)[: len(xq), 0]
    n, d = xb.shape
    nlist = a.nlist or 2 ** round(math.log2(4 * math.sqrt(n)))
    shares = [float(s) for s in a.shares.split(",")]
    rows = a.train_rows if 0 < a.train_rows < n else n
    xt = xb[np.sort(np.random.default_rng(a.seed).choice(n, rows, replace=False))] if rows < n else xb
    print(f"base {n} x {d}, {len(xq)} queries, code {a.bytes} bytes ({8 * a.bytes} bits), nlist {nlist}, "
          f"{a.threads} threads, trained on {rows} rows")
    print("| index | nprobe | scanned share | scanned/query | queries/s | R@1 | R@10 | R@100 | NN among candidates |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in (f"IVF{nlist},PQ{a.bytes}", f"OPQ{a.bytes},IVF{nlist},PQ{a.bytes}"):
        index = faiss.index_factory(d, key)
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.seed = a.seed
        t0, c0 = time.time(), time.process_time()
        index.train(xt)
        index.add(xb)
        print(f"<!-- {key}: train+add {time.time() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU -->")
        pre = isinstance(index, faiss.IndexPreTransform)
        to_ivf = (lambda x: index.chain.at(0).apply_py(x)) if pre else (lambda x: x)
        _, base_list = ivf.quantizer.search(to_ivf(xb), 1)
        sizes = np.array([ivf.invlists.list_size(i) for i in range(nlist)])
        nn_list = base_list[nearest, 0]
        for s in shares:
            nprobe = max(1, round(s * nlist))
            ivf.nprobe = nprobe
            t0 = time.time()
            _, found = index.search(xq, 100)
            qps = len(xq) / (time.time() - t0)
            _, probed = ivf.quantizer.search(to_ivf(xq), nprobe)
            scanned = sizes[probed].sum(axis=1).mean()
            among = (probed == nn_list[:, None]).any(axis=1).mean()
            recall = [(found[:, :r] == nearest[:, None]).any(axis=1).mean() for r in (1, 10, 100)]
            print(f"| {key} | {nprobe} | {scanned / n:.4f} | {scanned:.0f} | {qps:.0f} | {recall[0]:.4f} | "
                  f"{recall[1]:.4f} | {recall[2]:.4f} | {among:.4f} |")


if __name__ == "__main__":
    main()
