#!/usr/bin/env python3
"""Seeds fuzz/corpus/ from the samples and fixtures (run from the repository
root: python3 fuzz/seed-corpus.py). Files are named by content hash, as
libFuzzer names its own, so running it twice adds nothing."""

import glob
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def documents(value):
    """Every policy document inside a JSON value (objects with a Statement)."""
    if isinstance(value, dict):
        if "Statement" in value:
            yield value
        for v in value.values():
            yield from documents(v)
    elif isinstance(value, list):
        for v in value:
            yield from documents(v)


account_files = sorted(
    glob.glob(os.path.join(ROOT, "sample-accounts/workshop/*.json"))
    + glob.glob(os.path.join(ROOT, "sample-accounts/startup/*.json"))
    + glob.glob(os.path.join(ROOT, "tests/fixtures/**/*.json"), recursive=True)
)
for path in account_files:
    with open(path, "rb") as f:
        data = f.read()
    put("load_file", data)
    try:
        value = json.loads(data)
    except ValueError:
        continue
    for doc in documents(value):
        put("parse_policy", json.dumps(doc, indent=1))
    if isinstance(value, dict) and "Organization" in value:
        put("organization", data)

# A few AWS managed policies: every 100th line of the bundled copies.
with open(os.path.join(ROOT, "data/aws-managed-policies.tsv")) as f:
    lines = [l for l in f if not l.startswith("#")]
for line in lines[::100]:
    put("parse_policy", line.rstrip("\n").split("\t")[2])

for path in sorted(glob.glob(os.path.join(ROOT, "sample-accounts/workshop/tours/*.json"))):
    with open(path, "rb") as f:
        put("parse_tour", f.read())

# The structure-aware targets decode its input with `arbitrary`: any bytes make a
# case, so a few random ones of useful length start it faster than nothing.
import random

rng = random.Random(7)
for target in ["evaluate", "permissions", "messy_dump", "collect_store", "escalation", "store_reader"]:
    for _ in range(16):
        put(target, bytes(rng.randrange(256) for _ in range(rng.randrange(64, 512))))
