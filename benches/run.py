#!/usr/bin/env python3
"""Throughput benchmark: hygiene next to a serde_json parse-only pass, on the same corpora.

Generates seeded corpora with the shared generator (../shared/bench/gen_corpus.py), builds
hygiene and the parse-only floor (benches/parse_only.rs) in release mode, runs each on every
corpus several times, and prints medians: seconds, posts/s, MB/s, peak RSS, and the ratio of
hygiene's time to the floor's.

    python3 benches/run.py                      # 10k and 100k posts, 5 runs each
    python3 benches/run.py --sizes 10k,100k,1m --runs 3

hygiene runs as `hygiene check FILE --format json` with every default rule (account rules and
near-duplicate detection included), its report written to /dev/null. Last, it times hygiene on
a 5 MB X archive `data/tweets.js` made of the 100k corpus's first posts.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def build():
    """Builds both binaries; returns (hygiene, parse_only) paths."""
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    out = subprocess.run(
        ["cargo", "bench", "--bench", "parse_only", "--no-run", "--message-format=json", "--quiet"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    floor = None
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") \
                and message["target"]["name"] == "parse_only":
            floor = message["executable"]
    if floor is None:
        sys.exit("could not find the parse_only benchmark binary")
    return ROOT / "target" / "release" / "hygiene", Path(floor)


def corpus(size, directory, seed):
    path = directory / f"posts-{size}.jsonl"
    if not path.exists():
        if not GENERATOR.exists():
            sys.exit(f"{GENERATOR} is missing: the benchmark needs the shared corpus generator")
        subprocess.run(
            [sys.executable, str(GENERATOR), "--sizes", size, "--out", str(directory),
             "--seed", str(seed)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    return path


def x_archive(source, directory, megabytes=5):
    """An X archive's `data/tweets.js` of `megabytes` MB, made of `source`'s posts (a JSON Lines
    corpus) in the export's real shape: pretty-printed with ` : `, every value a string, the
    `entities`, `edit_info` and `source` fields each tweet carries."""
    path = directory / f"tweets-{megabytes}mb.js"
    if path.exists():
        return path
    tweets = []
    size = 0
    with source.open() as lines:
        for line in lines:
            post = json.loads(line)
            when = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))
            tweet = {"tweet": {
                "edit_info": {"initial": {"editTweetIds": [post["id"]],
                                          "editableUntil": when.isoformat(),
                                          "editsRemaining": "5", "isEditEligible": False}},
                "retweeted": False,
                "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
                "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
                "display_text_range": ["0", str(len(post["text"]))],
                "favorite_count": "0", "id_str": post["id"], "truncated": False,
                "retweet_count": "0", "id": post["id"],
                "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "favorited": False, "full_text": post["text"], "lang": "en",
            }}
            text = json.dumps(tweet, indent=2, separators=(",", " : "), ensure_ascii=False)
            tweets.append(text)
            size += len(text.encode()) + 2
            if size >= megabytes * 1e6:
                break
    path.write_text("window.YTD.tweets.part0 = [ " + ", ".join(tweets) + " ]\n")
    return path


def run(command, accept=(0, 1)):
    """Runs `command` with stdout to /dev/null; returns (seconds, peak RSS in bytes). An exit
    code outside `accept` stops the benchmark (hygiene exits 1 when it has findings)."""
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=null)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in accept:
        sys.exit(f"{command[0]} exited with {code}")
    return seconds, usage.ru_maxrss * 1024


def setup(doc, runs, **sizes):
    """Parses the options both benchmark scripts share (`--runs`, `--seed`, `--corpus-dir`) and
    `sizes` (option name -> default), creates the corpus folder and builds the binaries; returns
    (args, hygiene, parse_only)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in sizes.items():
        parser.add_argument(f"--{name}", default=default)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus-dir", type=Path, default=ROOT / "target" / "bench-corpus")
    args = parser.parse_args()
    args.corpus_dir.mkdir(parents=True, exist_ok=True)
    return (args, *build())


def main():
    args, hygiene, floor = setup(__doc__, runs=5, sizes="10k,100k")

    print(f"{'posts':>9} {'MB':>7} | {'hygiene s':>9} {'posts/s':>10} {'MB/s':>6} "
          f"{'RSS MB':>7} {'RSS/in':>6} | {'parse s':>8} {'posts/s':>10} | {'ratio':>5}")
    for size in args.sizes.split(","):
        path = corpus(size, args.corpus_dir, args.seed)
        posts = sum(1 for line in path.open("rb") if line.strip())
        megabytes = path.stat().st_size / 1e6
        ours = [run([str(hygiene), "check", str(path), "--format", "json"])
                for _ in range(args.runs)]
        base = [run([str(floor), str(path)]) for _ in range(args.runs)]
        ours_s = statistics.median(seconds for seconds, _ in ours)
        base_s = statistics.median(seconds for seconds, _ in base)
        rss = max(peak for _, peak in ours)
        print(f"{posts:>9} {megabytes:>7.1f} | {ours_s:>9.3f} {posts / ours_s:>10,.0f} "
              f"{megabytes / ours_s:>6.1f} {rss / 1e6:>7.1f} {rss / (megabytes * 1e6):>6.2f} | "
              f"{base_s:>8.3f} {posts / base_s:>10,.0f} | {ours_s / base_s:>5.1f}")

    archive = x_archive(corpus("100k", args.corpus_dir, args.seed), args.corpus_dir)
    tweets = archive.read_text().count('"tweet" : {')
    ours = [run([str(hygiene), "check", str(archive), "--format", "json"])
            for _ in range(args.runs)]
    print(f"\nX archive data/tweets.js, {archive.stat().st_size / 1e6:.1f} MB, {tweets:,} posts: "
          f"{statistics.median(seconds for seconds, _ in ours) * 1000:.0f} ms, "
          f"peak RSS {max(peak for _, peak in ours) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
