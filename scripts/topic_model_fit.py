#!/usr/bin/env python3
"""Fits the topic model shipped in config/topic_model.tsv: one logistic regression per
topic over every lexicon topic's item score and the item's common words, on hand-labelled
AG News items. Deterministic (lbfgs, no sampling); not a runtime dependency.

    L=benches/labels
    cargo run --release --example topic_dump -- $L/ag_news_world.tsv $L/ag_news_world_fresh.tsv \
        $L/ag_news_world_third.tsv $L/ag_news_world_fourth.tsv $L/ag_news_world_fifth.tsv \
        $L/ag_news_world_sixth.tsv $L/ag_news_world_seventh.tsv > /tmp/train.jsonl
    cargo run --release --example topic_dump -- $L/ag_news_world_ninth.tsv | head -300 >> /tmp/train.jsonl
    cargo run --release --example topic_dump -- $L/ag_news_world_tenth.tsv >> /tmp/train.jsonl
    pip install scikit-learn numpy
    python3 scripts/topic_model_fit.py /tmp/train.jsonl ../shared/corpus > config/topic_model.tsv

Held out and never fitted on: the eighth sample and the last 300 items of the ninth.

Choices (5-fold cross-validation, session 3, first on 629 then on all 1,229 training
items): the lexicon scores
are scaled by 10 before fitting so that the L2 penalty (C = 1) falls on the word weights
rather than on the lexicon evidence; a topic is present from probability 0.3; words in more
than a fifth of the items ("the", "said") and word weights under 0.05 are left out. Words are
only those written in lower case at least three times somewhere in AG News test.csv, so
that names ("Iraq", "Sharon") cannot stand in for topics: the model must not learn 2004's
news. Only topics with at least 50 positive items are modelled (15 in the first model): with 1-8 (arms transfer,
technology transfer, military cooperation, sanctions, energy...) the fit learned a large
negative bias and rejected "expanded their military cooperation", so those topics keep
their hand-made lexicon threshold. Cross-validated micro-F1 (5 folds, 3 seeds): 0.728
against 0.704 for the lexicons alone; on the 300 ninth-sample items the lexicons had never
seen, 0.674 against 0.629 (modelling every topic: 0.739 and 0.696). With the tenth sample
added (1,229 items): 0.726 against 0.673, and on the 900 newest items 0.710 against 0.636;
at least 30 positives instead of 15: 0.682 on those; cut 0.25 or 0.35, C 0.5 or 2: within
0.01. But read on today's news, the topics with 16-34 positives went wrong: "Japan
protested after Chinese coast guard ships entered waters near the Senkaku Islands" became
protest-unrest, "Beijing warned Manila to stop sending supply boats to the Second Thomas
Shoal" lost military-posture; 2004's wire has few territorial disputes, sanctions or
stand-offs and the lexicons were written for them. So 50 positives: armed conflict,
diplomacy, de-escalation, elections, human rights, nuclear and missiles, terrorism are
modelled (0.675 on the 900 newest items against the lexicons' 0.636), the rest keep their
lexicons. And a topic the lexicon finds stays unless the model puts it below 0.1 (0.699
against 0.710 with 15 positives). The first model (629 items), run blind on the tenth sample and the held-out half of
the ninth: 0.673 and 0.648 against the lexicons' 0.640 and 0.617.
"""
import collections
import csv
import json
import re
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

LEXICON_SCALE = 10.0
C = 1.0
CUT = 0.3
MIN_COUNT = 2
PRUNE = 0.05
MAX_SHARE = 0.2
MIN_POSITIVES = 50


def common_words(corpus):
    rows = csv.reader(open(corpus + "/news/ag_news/test.csv", encoding="utf-8"))
    lower = collections.Counter()
    for row in rows:
        for word in re.findall(r"[A-Za-z]+", row[1] + " " + row[2]):
            if word.islower():
                lower[word] += 1
    return {w for w, n in lower.items() if n >= 3}


def main():
    items = [json.loads(line) for line in open(sys.argv[1])]
    common = common_words(sys.argv[2])
    topics = list(items[0]["scores"].keys())
    counts = collections.Counter(w for it in items for w in it["words"] if w in common)
    vocab = sorted(
        w for w, n in counts.items() if MIN_COUNT <= n <= MAX_SHARE * len(items) and len(w) >= 2
    )
    index = {w: j for j, w in enumerate(vocab)}
    x = np.zeros((len(items), len(topics) + len(vocab)))
    for i, it in enumerate(items):
        x[i, : len(topics)] = [LEXICON_SCALE * it["scores"][t] for t in topics]
        for w in it["words"]:
            if w in index:
                x[i, len(topics) + index[w]] = 1.0
    print("# Topic model: one logistic regression per topic, fitted by scripts/topic_model_fit.py")
    print(f"# on {len(items)} hand-labelled AG News items (see that script for how, and for what was")
    print("# held out). For an item of up to eight sentences, a topic's probability is")
    print("# sigmoid(bias + sum of lexicon weights x the lexicon topics' item scores (0..1) + sum of")
    print("# the weights of the distinct words present), and the topic is present from `cut`.")
    print("# Topics without a `bias` line here keep the lexicon threshold; long articles always do.")
    print("#")
    print(f"cut\t{CUT}")
    print("# topic\tfeature\tweight")
    for t in topics:
        y = np.array([t in it["gold"] for it in items])
        if y.sum() < MIN_POSITIVES:
            continue
        model = LogisticRegression(C=C, max_iter=5000).fit(x, y)
        coef = model.coef_[0]
        print(f"{t}\tbias\t{model.intercept_[0]:.4f}")
        for k, other in enumerate(topics):
            if abs(coef[k]) >= PRUNE / LEXICON_SCALE:
                print(f"{t}\tlexicon:{other}\t{coef[k] * LEXICON_SCALE:.4f}")
        words = [(vocab[j], coef[len(topics) + j]) for j in range(len(vocab))]
        for w, c in sorted(words, key=lambda wc: (-abs(wc[1]), wc[0])):
            if abs(c) >= PRUNE:
                print(f"{t}\tword:{w}\t{c:.4f}")


if __name__ == "__main__":
    main()
