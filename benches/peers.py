#!/usr/bin/env python3
"""hygiene next to the tools of issue 7's table, on the same generated corpus.

    python3 benches/peers.py                # 100k posts, 3 runs each
    python3 benches/peers.py --size 1m --runs 3

Uses the corpora of benches/run.py (the shared generator writes each size as JSON Lines and
as text, one post per line). Runs, each with its output to /dev/null, and prints the median
seconds and posts/s as a Markdown table:

- `cat` of the JSON Lines file (reading it: the floor);
- the serde_json parse-only pass (benches/parse_only.rs);
- `rg -c -i` with 20 of hygiene's phrases over the text file;
- `typos` over the text file, when `typos` is installed (`cargo install typos-cli`);
- hygiene on the JSON Lines file and on the text file (`--split lines`), JSON report.

Tools that are not installed are listed as skipped; nothing is installed by this script.
"""

import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import corpus, run, setup  # noqa: E402

PHRASES = [
    "click to tweet", "thanks for the follow", "check out my", "free ebook", "dm me",
    "link in bio", "follow back", "retweet if", "like and share", "don't miss",
    "limited time", "use code", "giveaway", "sign up", "buy now", "tag a friend",
    "follow me", "shop now", "new post", "grab your",
]


def main():
    args, hygiene, floor = setup(__doc__, runs=3, size="100k")
    jsonl = corpus(args.size, args.corpus_dir, args.seed)
    text = jsonl.with_suffix(".txt")
    posts = sum(1 for line in jsonl.open("rb") if line.strip())

    rg_args = ["rg", "-c", "-i"] + [arg for phrase in PHRASES for arg in ("-e", phrase)]
    tools = [
        ("cat (reading the file)", "cat", ["cat", str(jsonl)]),
        ("serde_json parse only", None, [str(floor), str(jsonl)]),
        ("rg -c -i, 20 phrases", "rg", rg_args + [str(text)]),
        ("typos", "typos", ["typos", "--format", "brief", str(text)]),
        ("hygiene, JSON Lines", None,
         [str(hygiene), "check", str(jsonl), "--format", "json"]),
        ("hygiene, text", None,
         [str(hygiene), "check", str(text), "--split", "lines", "--format", "json"]),
    ]
    print(f"{posts:,} posts ({jsonl.stat().st_size / 1e6:.0f} MB of JSON Lines), "
          f"medians of {args.runs} runs\n")
    print("| tool | seconds | posts/s |")
    print("|---|---:|---:|")
    for label, needs, command in tools:
        if needs and shutil.which(needs) is None:
            print(f"| {label} | not installed | |")
            continue
        seconds = statistics.median(
            run(command, accept=(0, 1, 2))[0] for _ in range(args.runs))
        print(f"| {label} | {seconds:.3f} | {posts / seconds:,.0f} |")


if __name__ == "__main__":
    main()
