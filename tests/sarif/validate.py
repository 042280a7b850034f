"""validate.py: checks SARIF files against the vendored SARIF 2.1.0 schema.

usage: python3 validate.py SCHEMA FILE [--empty | --results] ...
Each FILE must be valid against SCHEMA; --empty: its single run has no results;
--results: it has at least one, each with a ruleId among the run's rules. Exit 0 when all
hold, 1 otherwise, 77 when the jsonschema module is missing (the test is then skipped).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: SKIP: python3-jsonschema is not installed")
    sys.exit(77)


def check(schema, path, want):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
    ok = not errors
    results = log["runs"][0].get("results", [])
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"].get("rules", [])}
    if want == "--empty" and results:
        print(f"{path}: {len(results)} results, wanted none")
        ok = False
    if want == "--results":
        if not results:
            print(f"{path}: no results, wanted some")
            ok = False
        for r in results:
            if r["ruleId"] not in rules:
                print(f"{path}: ruleId {r['ruleId']} is not a rule")
                ok = False
    print(f"{path}: {'valid' if ok else 'INVALID'}, {len(results)} results")
    return ok


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    ok = True
    args = argv[2:]
    while args:
        path, want = args[0], None
        if len(args) > 1 and args[1].startswith("--"):
            want = args[1]
            args = args[2:]
        else:
            args = args[1:]
        ok &= check(schema, path, want)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
