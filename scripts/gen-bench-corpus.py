#!/usr/bin/env python3
"""Deterministic synthetic corpus for corro's cache benchmark (scripts/bench-cache.sh).

Writes N reports as daily JSONL drops, DIR/drop-NNNN.jsonl, `--per-file` reports each, so
that a new day's drop is one new file -- the shape the cache is built for. The same
arguments always give byte-identical files (own PRNG seed, no clock, no locale).

Not a model of real news: it only has to give the extractor and matcher realistic work --
several attributed, denied and hedged claims per report, recurring across outlets, with
syndicated copies -- using only actors from the shipped lexicons (data/entities.csv).

    scripts/gen-bench-corpus.py OUT_DIR --reports 100000 [--per-file 1000] [--seed 7]
    scripts/gen-bench-corpus.py OUT_DIR --reports 1000 --first-id 100000 --prefix new

Self-contained on purpose: a `corro gen` may come later; this script must not depend on it.
"""
import argparse
import json
import os
import random

COUNTRIES = ["Turkey", "Azerbaijan", "Armenia", "Syria", "Russia", "France", "Iran",
             "Israel", "Libya", "Iraq", "Pakistan", "Afghanistan", "Georgia",
             "United States", "United Kingdom"]
PLACES = ["Nagorno-Karabakh", "Afrin", "Azaz", "Aleppo", "Idlib", "Tripoli"]
GROUPS = ["Syrian National Army", "Free Syrian Army", "Hamza Division",
          "Sultan Murad Division", "Amshat"]
PEOPLE = ["Recep Tayyip Erdogan", "Ilham Aliyev", "Nikol Pashinyan", "Vladimir Putin",
          "Emmanuel Macron", "Omer Celik", "Leyla Abdullayeva", "Hikmet Hajiyev",
          "Rami Abdulrahman"]
OUTLETS = ["Reuters", "CNN", "Sputnik", "North Press", "UrduPoint News"] + [
    f"Daily Courier {i}" for i in range(40)]
VERBS = [("sent", "fighters to"), ("deployed", "mercenaries to"),
         ("recruited", "fighters for"), ("paid", "militants in")]
FILLER = [
    "The conflict has displaced thousands of families over the past months.",
    "Talks between the parties stalled again this week.",
    "Observers said the situation on the ground remained tense.",
    "Officials did not respond to requests for comment.",
    "Analysts expect the fighting to continue into the winter.",
]


def claim(rng):
    a = rng.choice(COUNTRIES)
    b = rng.choice([c for c in COUNTRIES if c != a] + PLACES)
    verb, obj = rng.choice(VERBS)
    return a, b, verb, obj


def sentence(rng, c):
    a, b, verb, obj = c
    n = rng.choice([150, 300, 800, 1000, 1200, 2000, 2580])
    who = rng.choice(PEOPLE)
    grp = rng.choice(GROUPS)
    form = rng.randrange(6)
    if form == 0:
        return f"{who} said {a} had {verb} {n} {obj} {b}."
    if form == 1:
        return f"{a} denied that it {verb} {obj} {b}, calling the reports fabricated."
    if form == 2:
        return f"{a} has reportedly {verb} {obj} {b}, according to unconfirmed reports."
    if form == 3:
        return f"A source told {rng.choice(OUTLETS)} that {a} {verb} {n} {obj} {b} from the {grp}."
    if form == 4:
        return f"{a} {verb} about {n} {obj} {b} last month, {who} told reporters."
    return f"Did {a} send {obj.split()[0]} to {b}?"


def report(rng, i):
    day = i // 1000
    outlet = rng.choice(OUTLETS)
    claims = [claim(rng) for _ in range(rng.randint(1, 3))]
    body = []
    for _ in range(rng.randint(3, 7)):
        body.append(sentence(rng, rng.choice(claims)))
        if rng.random() < 0.5:
            body.append(rng.choice(FILLER))
    a, b, verb, obj = claims[0]
    title = f"{a} {verb} {obj} {b}, officials say"
    date = f"2031-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d}"
    return {"id": f"r{i:07d}", "outlet": outlet, "date": date, "title": title,
            "text": " ".join(body)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--reports", type=int, default=100000)
    p.add_argument("--per-file", type=int, default=1000)
    p.add_argument("--first-id", type=int, default=0)
    p.add_argument("--prefix", default="drop")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed * 1_000_003 + a.first_id)
    prev = None
    f = None
    last = None
    for k in range(a.reports):
        i = a.first_id + k
        fno = k // a.per_file
        if fno != prev:
            if f:
                f.close()
            f = open(os.path.join(a.out, f"{a.prefix}-{fno:04d}.jsonl"), "w", encoding="utf-8", newline="\n")
            prev = fno
        # A tenth of the reports are syndicated copies of the previous one under another
        # outlet and id: copy families are part of the matcher's real work.
        if last is not None and rng.random() < 0.1:
            r = dict(last, id=f"r{i:07d}", outlet=rng.choice(OUTLETS))
        else:
            r = report(rng, i)
        last = r
        f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    if f:
        f.close()


if __name__ == "__main__":
    main()
