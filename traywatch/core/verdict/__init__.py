"""From probe results to a verdict: the pure diagnosis and the sentences that explain it."""
