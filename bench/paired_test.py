"""Paired two-sided Student t-test without SciPy (the container has no PyPI): the same statistic the
CLI's summary reports (examples/cli/harness/statistics.hpp), for runs that come from separate CLI invocations."""
import math


def _incomplete_beta_fraction(a, b, x):
    # Continued fraction of the regularized incomplete beta function, evaluated by the modified
    # Lentz method; converges quickly for x < (a + 1) / (a + b + 2).
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-14:
            break
    return result


def regularized_incomplete_beta(a, b, x):
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def paired_t_test(treated, control):
    """(mean difference, t, two-sided p) of treated[i] - control[i]; p is NaN when the differences
    have no spread (t undefined) or there are fewer than two pairs."""
    if len(treated) != len(control):
        raise ValueError(f"paired test: {len(treated)} treated values against {len(control)} controls")
    n = len(treated)
    diffs = [t - c for t, c in zip(treated, control)]
    mean = sum(diffs) / n if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    variance = sum((d - mean) ** 2 for d in diffs) / (n - 1)
    if variance <= 0.0:
        return mean, float("nan"), float("nan")
    t = mean / math.sqrt(variance / n)
    df = n - 1
    return mean, t, regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))


if __name__ == "__main__":
    # Hand-checked values: t = 2.776 with 4 degrees of freedom is the two-sided 5% point, t = 1 with
    # 1 degree of freedom has p = 0.5 exactly (Cauchy).
    assert abs(regularized_incomplete_beta(2.0, 0.5, 4.0 / (4.0 + 2.776445 ** 2)) - 0.05) < 1e-5
    assert abs(regularized_incomplete_beta(0.5, 0.5, 0.5) - 0.5) < 1e-12
    _, t, p = paired_t_test([1.0, 2.0, 4.0], [0.0, 1.0, 2.0])
    assert abs(t - 4.0 / 3.0 / math.sqrt(1.0 / 3.0 / 3.0)) < 1e-12, t
    print("paired_test: self-check passed")
