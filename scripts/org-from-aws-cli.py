#!/usr/bin/env python3
"""Write iamscope's organization file from the JSON the AWS CLI prints.

For those who have only the AWS CLI (no iam-collect): record what
`aws organizations` says about the organization, one file per call, in a
folder, then run this script on it. It reads only those files and writes
one JSON file; it calls nothing itself.

The folder holds (names as the recording loop below writes them):

    describe-organization.json                          aws organizations describe-organization
    list-roots.json                                     aws organizations list-roots
    list-organizational-units-for-parent-PARENT.json    ... list-organizational-units-for-parent --parent-id PARENT
    list-accounts-for-parent-PARENT.json                ... list-accounts-for-parent --parent-id PARENT
    list-policies-SERVICE_CONTROL_POLICY.json           ... list-policies --filter SERVICE_CONTROL_POLICY
    list-policies-RESOURCE_CONTROL_POLICY.json          ... list-policies --filter RESOURCE_CONTROL_POLICY
    list-targets-for-policy-POLICY.json                 ... list-targets-for-policy --policy-id POLICY
    describe-policy-POLICY.json                         ... describe-policy --policy-id POLICY

A recording loop (bash, jq), run with credentials of the management account
or a delegated administrator:

    o() { aws organizations "$@" --output json; }
    o describe-organization > describe-organization.json
    o list-roots > list-roots.json
    parents=$(jq -r '.Roots[].Id' list-roots.json)
    while [ -n "$parents" ]; do
      next=""
      for p in $parents; do
        o list-organizational-units-for-parent --parent-id "$p" > "list-organizational-units-for-parent-$p.json"
        o list-accounts-for-parent --parent-id "$p" > "list-accounts-for-parent-$p.json"
        next="$next $(jq -r '.OrganizationalUnits[].Id' "list-organizational-units-for-parent-$p.json")"
      done
      parents=$(echo $next)
    done
    for t in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
      o list-policies --filter "$t" > "list-policies-$t.json"
      for id in $(jq -r '.Policies[].Id' "list-policies-$t.json"); do
        o list-targets-for-policy --policy-id "$id" > "list-targets-for-policy-$id.json"
        o describe-policy --policy-id "$id" > "describe-policy-$id.json"
      done
    done

Usage: python3 scripts/org-from-aws-cli.py RECORDED_FOLDER > organization.json

The output is iamscope's {"Organization": {...}} file (README, "Workspaces"):
put it beside the accounts' authorization-details files. A policy whose
content is missing is left out with a warning on stderr (iamscope then
treats its levels as it treats levels without that policy).
"""
import json
import os
import sys


def read(folder, name, required=False):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        if required:
            sys.exit("org-from-aws-cli: %s is missing" % path)
        return None
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f)


def tree(folder, roots):
    """The OUs and accounts under the roots, walking the recorded parents."""
    ous, accounts = [], []
    pending = list(roots)
    seen = set()
    while pending:
        parent = pending.pop(0)
        if parent in seen:
            continue
        seen.add(parent)
        listed = read(folder, "list-organizational-units-for-parent-%s.json" % parent) or {}
        for ou in listed.get("OrganizationalUnits", []):
            ous.append({"Id": ou["Id"], "Name": ou.get("Name", ou["Id"]), "ParentId": parent})
            pending.append(ou["Id"])
        listed = read(folder, "list-accounts-for-parent-%s.json" % parent) or {}
        for account in listed.get("Accounts", []):
            accounts.append({"Id": account["Id"], "Name": account.get("Name", account["Id"]), "ParentId": parent})
    return ous, accounts


def policies(folder, kind):
    listed = read(folder, "list-policies-%s.json" % kind) or {}
    out = []
    for summary in sorted(listed.get("Policies", []), key=lambda p: p["Id"]):
        described = read(folder, "describe-policy-%s.json" % summary["Id"])
        content = (described or {}).get("Policy", {}).get("Content")
        if content is None:
            print("org-from-aws-cli: no content for %s (%s); left out" % (summary["Id"], summary.get("Name")), file=sys.stderr)
            continue
        targets = read(folder, "list-targets-for-policy-%s.json" % summary["Id"]) or {}
        out.append({
            "Name": summary.get("Name", summary["Id"]),
            "Targets": sorted(t["TargetId"] for t in targets.get("Targets", [])),
            # DescribePolicy returns the document as a JSON string.
            "Policy": json.loads(content),
        })
    return out


def build(folder):
    described = read(folder, "describe-organization.json", required=True)["Organization"]
    roots = [r["Id"] for r in read(folder, "list-roots.json", required=True).get("Roots", [])]
    ous, accounts = tree(folder, roots)
    management = described.get("MasterAccountId") or described.get("ManagementAccountId")
    org = {
        "Id": described.get("Id"),
        "ManagementAccountId": management,
        "Roots": [{"Id": r} for r in roots],
        "OrganizationalUnits": ous,
        "Accounts": accounts,
        "ServiceControlPolicies": policies(folder, "SERVICE_CONTROL_POLICY"),
        "ResourceControlPolicies": policies(folder, "RESOURCE_CONTROL_POLICY"),
    }
    return {"Organization": org}


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.strip().splitlines()[0] + "\nusage: python3 scripts/org-from-aws-cli.py RECORDED_FOLDER > organization.json")
    json.dump(build(argv[1]), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
