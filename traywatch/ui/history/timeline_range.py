"""The timeline's visible range as pure arithmetic: zoom around a moment, pan, stay inside the
period, and keep a zoom across a reload of a sliding period (the last 7 days move on)."""

from __future__ import annotations

MIN_SPAN_S = 6 * 3600  # never narrower than six hours (six hourly bins)
View = tuple[float, float]


def clamp(lo: float, hi: float, full: View) -> View:
    """The range moved (not shrunk) to lie inside `full`; never wider than it."""
    span = min(hi - lo, full[1] - full[0])
    lo = min(max(lo, full[0]), full[1] - span)
    return lo, lo + span


def zoom(view: View, full: View, factor: float, anchor: float | None = None) -> View:
    """Narrow (factor < 1) or widen the range; `anchor` stays where it is on screen."""
    lo, hi = view
    span = min(full[1] - full[0], max(MIN_SPAN_S, (hi - lo) * factor))
    at = (lo + hi) / 2 if anchor is None else anchor
    share = (at - lo) / max(1.0, hi - lo)
    return clamp(at - share * span, at - share * span + span, full)


def pan(view: View, full: View, fraction: float) -> View:
    """Move by a fraction of the visible span (negative: back in time)."""
    shift = (view[1] - view[0]) * fraction
    return clamp(view[0] + shift, view[1] + shift, full)


def kept(previous: View, full: View) -> View:
    """After a reload: the same zoom, ending where it ended (or at the new end), else everything."""
    span = previous[1] - previous[0]
    if previous[0] < full[0] or span >= full[1] - full[0]:
        return full
    end = min(full[1], previous[1])
    return clamp(end - span, end, full)
