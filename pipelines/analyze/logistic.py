"""Fitting the linear heads (speaker side, attributes): balanced L2 logistic regression."""

from __future__ import annotations

import numpy as np

from models.heads import LinearHead

SEED = 13


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def balanced_weights(y: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-sample weights making each column's positives and negatives weigh the same (0 where masked)."""
    w = np.zeros_like(y, dtype=np.float64)
    for k in range(y.shape[1]):
        m = mask[:, k]
        n, pos = m.sum(), (y[:, k] * m).sum()
        if pos and n - pos:
            w[:, k] = np.where(y[:, k] == 1, n / (2 * pos), n / (2 * (n - pos))) * m
    return w


def fit_yes_no(x: np.ndarray, y: np.ndarray, mask: np.ndarray, c: float) -> list[LinearHead]:
    """One balanced logistic head per column of ``y`` (n, k), fitted jointly with L-BFGS.

    Objective per column: C * sum_i w_i * logloss_i + ||coef||^2 / 2 (intercept not penalised),
    the same as scikit-learn's ``LogisticRegression(class_weight="balanced")``.
    """
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    mean, scale = standardise(x)
    z = ((x - mean) / scale).astype(np.float32)
    zt = np.ascontiguousarray(z.T)
    n, d = z.shape
    k = y.shape[1]
    w = balanced_weights(y, mask) * c

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        logits = (z @ coef.astype(np.float32)).astype(np.float64) + b
        p = 1.0 / (1.0 + np.exp(-logits))
        ll = np.logaddexp(0, logits) - y * logits
        g = w * (p - y)
        value = float((w * ll).sum() + 0.5 * (coef**2).sum())
        grad = np.concatenate([((zt @ g.astype(np.float32)) + coef).ravel(), g.sum(0)])
        return value, grad

    theta0 = np.zeros(d * k + k)
    with threadpool_limits(1):  # small products: one BLAS thread is faster, and kind to a busy machine
        res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 500, "ftol": 1e-7})
    coef = res.x[: d * k].reshape(d, k).T.astype(np.float32)
    b = res.x[d * k :].astype(np.float32)
    return [LinearHead(mean, scale, coef[j : j + 1], b[j : j + 1]) for j in range(k)]


def fit_classes(x: np.ndarray, y: np.ndarray, c: float) -> LinearHead:
    """A balanced multinomial logistic head over string labels."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = standardise(x)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000, random_state=SEED)
    model.fit((x - mean) / scale, y)
    return LinearHead(
        mean,
        scale,
        model.coef_.astype(np.float32),
        model.intercept_.astype(np.float32),
        [str(k) for k in model.classes_],
    )
