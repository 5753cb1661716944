"""What the SDKs take from the spec: its version, and which operations they expose.

    python sdk_spec.py version SPEC   -> info.version
    python sdk_spec.py filter SPEC    -> the openapi-generator normalizer FILTER keeping the SDK tags
    python sdk_spec.py operations SPEC -> the operationIds of the SDKs, one a line

A tag marked `x-internal: true` (the probes, the spec document) is not part of the SDKs.
"""
import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def sdk_tags(spec):
    return [t["name"] for t in spec.get("tags", []) if not t.get("x-internal", False)]


def sdk_operations(spec):
    tags = set(sdk_tags(spec))
    ops = []
    for item in spec["paths"].values():
        for method in METHODS:
            op = item.get(method)
            if op and tags.intersection(op.get("tags", [])):
                ops.append(op["operationId"])
    return sorted(ops)


def main(argv):
    what, path = argv[1], argv[2]
    spec = load(path)
    if what == "version":
        print(spec["info"]["version"])
    elif what == "filter":
        print("tag:" + "|".join(sdk_tags(spec)))
    elif what == "operations":
        print("\n".join(sdk_operations(spec)))
    else:
        raise SystemExit("unknown request: " + what)


if __name__ == "__main__":
    main(sys.argv)
