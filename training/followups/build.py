#!/usr/bin/env python3
"""Assembles the follow-up corpus v2 from the writers' files (writers/*.jsonl) into train, validation and test.

Each split comes from different writers (train: writers/train-*.jsonl; validation and test: one writer each), who
wrote independently from the labelling guide in docs/mining.md. No sentence pattern may be shared across splits, so
a validation or test example is dropped when its follow-up is the same as, or a near-copy of, one in an earlier
split (Jaccard similarity of word 3-gram shingles >= 0.5 after normalising case, digits and punctuation). The
held-out set (heldout.jsonl) is not touched: it was written separately and is only reported on.

    python3 build.py   # from this directory; deterministic
"""
import glob
import json
import re

LABELS = ["positive", "rephrase", "correction", "complaint", "clarification", "none"]
FIELDS = ["prompt", "response", "followup", "label"]


def read(path):
    rows = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        assert all(isinstance(row.get(f), str) and row[f].strip() for f in FIELDS), f"{path}:{number}: missing field"
        assert row["label"] in LABELS, f"{path}:{number}: unknown label {row['label']}"
        rows.append({f: row[f] for f in FIELDS + ["domain"] if f in row})
    return rows


def words(text):
    return re.sub(r"\d+", "0", re.sub(r"[^\w\s]", " ", text.lower())).split()


def shingles(text):
    w = words(text)
    return {" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))}


def key(text):
    """The follow-up's letters and digits, lower-cased: two follow-ups with the same key are the same message."""
    return "".join(c for c in text.lower() if c.isalnum())


def near(a, b):
    return len(a & b) / max(1, len(a | b)) >= 0.5


def main():
    splits = {
        "train": [r for path in sorted(glob.glob("writers/train-*.jsonl")) for r in read(path)],
        "validation": read("writers/validation.jsonl"),
        "test": read("writers/test.jsonl"),
    }
    seen = []  # shingle sets of every kept follow-up of earlier splits
    seen_keys = set()
    for name in ["train", "validation", "test"]:
        kept, dropped = [], 0
        mine = []
        for row in splits[name]:
            s = shingles(row["followup"])
            if name != "train" and (key(row["followup"]) in seen_keys or any(near(s, other) for other in seen)):
                dropped += 1
                continue
            kept.append(row)
            mine.append(s)
        seen.extend(mine)
        seen_keys.update(key(r["followup"]) for r in kept)
        with open(f"{name}.jsonl", "w", encoding="utf-8") as out:
            for row in kept:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        counts = {label: sum(r["label"] == label for r in kept) for label in LABELS}
        print(f"{name}: {len(kept)} kept, {dropped} dropped as near-copies of an earlier split; {counts}")
    heldout = read("heldout.jsonl")
    overlap = sum(any(near(shingles(r["followup"]), other) for other in seen) for r in heldout)
    print(f"heldout: {len(heldout)} examples, {overlap} near-copies of a corpus follow-up (reported, not removed)")


if __name__ == "__main__":
    main()
