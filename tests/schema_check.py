#!/usr/bin/env python3
"""`kasikirja schema`: the JSON Schemas are valid draft-07, every YAML file of
this repository (and of a fresh `kasikirja init` site) passes its schema, and
every file of tests/fixtures/schema-bad/ is refused by its schema AND by
`kasikirja check` on a site that contains it, and every file of
tests/fixtures/schema-good/ (forms the validator accepts) is accepted by
both — the test fails when the validator and the schemas disagree.

Usage: tests/schema_check.py BIN   (run from the repository's root)"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml


class Loader(yaml.SafeLoader):
    """YAML 1.2 core scalars, as kasikirja's loader reads them: no dates
    (2025-03-17 stays text) and no yes/no/on/off booleans."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                             list("tTfF"))

passed = failed = 0


def ok(name, _why=""):
    global passed
    passed += 1
    print("ok   " + name)


def fail(name, why=""):
    global failed
    failed += 1
    print("FAIL " + name + (": " + why if why else ""))


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 3)
    return text[4:end + 1] if end >= 0 else None


def load(path):
    if path.endswith(".md"):
        return yaml.load(front_matter(path) or "", Loader=Loader)
    return yaml.load(open(path, encoding="utf-8").read(), Loader=Loader)


def kind_of(rel):
    """The schema of a file by its path inside a site."""
    base = os.path.basename(rel)
    if rel == "site.yaml":
        return "site"
    if rel.endswith(".md"):
        return "sivu"
    if rel.startswith("content/data/mallit/"):
        return "malli"
    if rel.startswith("layouts/lait/"):
        return "lait"
    if rel.startswith("diagrams/"):
        return "kaavio"
    return base[:-len(".yaml")]


def site_files(root):
    files = ["site.yaml"] if os.path.exists(os.path.join(root, "site.yaml")) else []
    for pat in ("content/data/*.yaml", "content/data/mallit/*.yaml", "layouts/lait/*.yaml", "diagrams/*.yaml",
                "content/**/*.md", "layouts/sivut/**/*.md"):
        files += sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pat), recursive=True))
    return files


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="kasikirja-schema-")
    try:
        run(binary, work)
    finally:
        shutil.rmtree(work)
    print(f"schema-test: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run(binary, work):
    out = os.path.join(work, "skeemat")
    r = subprocess.run([binary, "schema", out], capture_output=True, text=True)
    (ok if r.returncode == 0 else fail)("kasikirja schema DIR")
    names = ["site", "toimijat", "lait", "malli", "asiakirjat", "vuosikello", "vastuunjako", "sanasto", "kaavio",
             "sivu"]
    schemas = {}
    for n in names:
        p = os.path.join(out, n + ".schema.json")
        try:
            s = json.load(open(p, encoding="utf-8"))
            jsonschema.Draft7Validator.check_schema(s)
            schemas[n] = jsonschema.Draft7Validator(s)
            ok(f"{n}.schema.json is a valid draft-07 schema")
        except Exception as e:  # noqa: BLE001 - any failure is the test's
            fail(f"{n}.schema.json is a valid draft-07 schema", str(e).splitlines()[0])
    r = subprocess.run([binary, "schema", out], capture_output=True, text=True)
    (ok if r.returncode == 1 and "site.schema.json" in r.stderr else fail)(
        "schema DIR again: an existing file is not replaced (exit 1)", r.stderr.strip())
    blocked = os.path.join(work, "tiedosto")
    open(blocked, "w").close()
    r = subprocess.run([binary, "schema", blocked + "/x"], capture_output=True, text=True)
    (ok if r.returncode == 1 and blocked in r.stderr else fail)(
        "schema into an unwritable folder: an error naming it (exit 1)", r.stderr.strip())

    # Every YAML file of this repository, and of a fresh starter site.
    fresh = os.path.join(work, "uusi")
    subprocess.run([binary, "init", fresh], capture_output=True)
    for root in (".", fresh):
        for rel in site_files(root):
            kind = kind_of(rel)
            name = os.path.join(root, rel) if root != "." else rel
            if kind not in schemas:
                fail(f"{name}: a schema for it", kind)
                continue
            errors = [e.message for e in schemas[kind].iter_errors(load(os.path.join(root, rel)))]
            (ok if not errors else fail)(f"{name} passes {kind}.schema.json", "; ".join(errors[:3]))

    # Files in forms the validator accepts: both must accept them (the schema is not stricter).
    base = os.path.join(work, "perus")
    subprocess.run([binary, "init", base], capture_output=True)
    for path in sorted(glob.glob("tests/fixtures/schema-good/**/*", recursive=True)):
        if os.path.isdir(path):
            continue
        rel = os.path.relpath(path, "tests/fixtures/schema-good")
        errors = [e.message for e in schemas[kind_of(rel)].iter_errors(load(path))]
        (ok if not errors else fail)(f"schema accepts {rel}", "; ".join(errors[:3]))
        site = os.path.join(work, "good-" + rel.replace("/", "_"))
        shutil.copytree(base, site)
        shutil.copy(path, os.path.join(site, rel))
        r = subprocess.run([binary, "check", "--src", site], capture_output=True, text=True)
        (ok if r.returncode == 0 else fail)(f"check accepts {rel}", r.stderr.strip()[-300:])

    # The wrong files: refused by the schema and by check.
    for path in sorted(glob.glob("tests/fixtures/schema-bad/**/*", recursive=True)):
        if os.path.isdir(path):
            continue
        rel = os.path.relpath(path, "tests/fixtures/schema-bad")
        what = next(l for l in open(path, encoding="utf-8") if l.startswith("#"))[1:].strip()
        kind = kind_of(rel)
        errors = list(schemas[kind].iter_errors(load(path)))
        (ok if errors else fail)(f"schema refuses {rel} ({what})")
        for e in errors[:1]:
            print(f"       schema: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        site = os.path.join(work, "bad-" + rel.replace("/", "_"))
        shutil.copytree(base, site)
        dest = os.path.join(site, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy(path, dest)
        r = subprocess.run([binary, "check", "--src", site], capture_output=True, text=True)
        first = next((l for l in r.stderr.splitlines() if l.startswith(rel + ":") and ": error: " in l), "")
        (ok if r.returncode == 1 and first else fail)(f"check refuses {rel}", r.stderr.strip()[-300:])
        if first:
            print(f"       check:  {first}")


if __name__ == "__main__":
    main()
