"""Sentiment model search, issue 25 round three: which TF-IDF features / linear model / class-prior
adjustment, chosen on an inner validation slice of the TRAINING part only.

The held-out 10 % of ``training.split`` (what ``bench/feedback_accuracy.py`` reports) is never read
here. Validation: 2,400 texts of the training part (seed 7); the per-class log-probability offsets
are tuned on its first half (half_a) and checked on its second half (half_b). Prints one line per setting.
Takes 20-40 minutes on the shared 2-core machine; results are in the model card.

    PYTHONPATH=src .venv/bin/python scripts/feedback_model_search.py
"""

import itertools
import time

import numpy as np
from scipy.sparse import hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from codi.feedback.nlp import training
from codi.feedback.nlp.text import normalise, words

texts, labels = training.read_labelled(training.SENTIMENT_DATA, "label")
train_idx, _test = training.split(len(texts))
perm = np.random.default_rng(7).permutation(train_idx)
val, tr = perm[:2400], perm[2400:]
norm = {i: normalise(texts[i]) for i in train_idx}
toks = {i: words(norm[i]) for i in train_idx}
y = np.asarray(labels)
ytr, yva = y[tr], y[val]
half_a, half_b = (
    np.arange(1200),
    np.arange(1200, 2400),
)  # halves of validation: offsets tuned on half_a, checked on half_b


def ident(x):
    return x


def bi(t):
    return t + [a + "_" + b for a, b in itertools.pairwise(t)]


def feats(wa, char, min_df=2):
    wv = TfidfVectorizer(analyzer=wa, sublinear_tf=True, min_df=min_df)
    cv = TfidfVectorizer(
        analyzer=char[0], ngram_range=char[1], sublinear_tf=True, min_df=min_df, dtype=np.float32
    )
    xtr = hstack([wv.fit_transform([toks[i] for i in tr]), cv.fit_transform([norm[i] for i in tr])]).tocsr()
    xva = hstack([wv.transform([toks[i] for i in val]), cv.transform([norm[i] for i in val])]).tocsr()
    return xtr, xva


def sc(yt, pred):
    return accuracy_score(yt, pred), f1_score(yt, pred, average="macro")


def tune_offsets(logp, classes, idx):
    off = np.zeros(len(classes))

    def obj(o):
        a, f = sc(yva[idx], classes[(logp[idx] + o).argmax(1)])
        return a + f

    best = obj(off)
    for _ in range(3):
        for k in range(len(classes)):
            for d in np.linspace(-1.5, 1.5, 31):
                o = off.copy()
                o[k] = d
                v = obj(o)
                if v > best + 1e-9:
                    best, off = v, o
    return off


def report(name, probs, classes):
    logp = np.log(np.clip(probs, 1e-9, 1))
    a, f = sc(yva, classes[logp.argmax(1)])
    f0 = np.array([(ytr == c).mean() for c in classes])
    a5, f5 = sc(yva, classes[(logp - 0.5 * np.log(f0)).argmax(1)])
    off = tune_offsets(logp, classes, half_a)
    acc_b, f1_b = sc(yva[half_b], classes[(logp[half_b] + off).argmax(1)])
    acc_b0, f1_b0 = sc(yva[half_b], classes[(logp[half_b] - 0.5 * np.log(f0)).argmax(1)])
    print(
        f"{name}: raw {a:.4f}/{f:.4f} pw.5 {a5:.4f}/{f5:.4f} | half_b: pw.5 {acc_b0:.4f}/{f1_b0:.4f} offsets {acc_b:.4f}/{f1_b:.4f} off={np.round(off, 2)}",
        flush=True,
    )


for fname, fs in [
    ("w1+cwb14", (ident, ("char_wb", (1, 4)))),
    ("w12+cwb15", (bi, ("char_wb", (1, 5)))),
    ("w12+c15", (bi, ("char", (1, 5)))),
]:
    t = time.time()
    xtr, xva = feats(*fs)
    print(fname, xtr.shape, "%.0fs" % (time.time() - t), flush=True)
    for c in [0.1, 0.3]:
        t = time.time()
        m = CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced"), method="sigmoid", cv=3).fit(
            xtr, ytr
        )
        probs = m.predict_proba(xva)
        report(f"{fname} svc c{c} ({time.time() - t:.0f}s)", probs, m.classes_)
    for c in [3.0]:
        t = time.time()
        m = OneVsRestClassifier(LogisticRegression(C=c, solver="liblinear", class_weight="balanced")).fit(
            xtr, ytr
        )
        probs = m.predict_proba(xva)
        probs = probs / probs.sum(1, keepdims=True)
        report(f"{fname} lr-ovr c{c} ({time.time() - t:.0f}s)", probs, m.classes_)
