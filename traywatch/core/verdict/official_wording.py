"""Meta's own word beside our measurement: the Meta Status sentences of the official section
and the clauses a summary gains ("Meta confirms: ...", "not acknowledged", "... working from
here, but Meta Status reports ...")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus
from traywatch.i18n import Message, Moment, Template, names

MAJOR = Template("official.major", "major disruption")
MINOR = Template("official.minor", "minor disruption")
A_MAJOR = Template("official.a_major", "a major disruption")
A_MINOR = Template("official.a_minor", "a minor disruption")
QUOTED = Template("official.quoted", '"{text}"')  # Meta's own unknown status text
UNCLEAR = Template("official.unclear", "an unclear status")
PROBLEM = Template("official.problem", "{words} for {names}")
PROBLEM_SINCE = Template("official.problem_since", "{words} for {names} since {since}")
NO_ISSUES = Template("official.no_issues", "Meta Status: no known issues with Meta's business tools")
CONFIRMS_DETAIL = Template("official.confirms_detail", "Meta confirms: {problem}")
CONFIRMS = Template("official.confirms", "Meta confirms: {problem}.")
SHOWS = Template("official.shows", "Meta Status shows: {problem}.")
NOT_ACKNOWLEDGED = Template("official.not_acknowledged", "Meta has not acknowledged this yet.")
NOT_ACKNOWLEDGED_UNLISTED = Template(
    "official.not_acknowledged_unlisted",
    "Meta has not acknowledged this yet (its status page lists only its business tools).",
)
ONE_WORKING_BUT = Template(
    "official.one_working_but",
    "Your internet and {name} are working from here, but Meta Status reports {problem}.",
)
BOTH_WORKING_BUT = Template(
    "official.both_working_but",
    "Your internet and both Meta services you watch are working from here, "
    "but Meta Status reports {problem}.",
)
ALL_WORKING_BUT = Template(
    "official.all_working_but",
    "Your internet and all {count} Meta services are working from here, but Meta Status reports {problem}.",
)


def official_words(org: OrgStatus, article: bool = False) -> Message:
    """'major disruption', 'minor disruption' ('a ...' with `article`), or Meta's own unknown
    status text in quotes (never with an article)."""
    if org.state is OfficialState.MAJOR:
        return A_MAJOR() if article else MAJOR()
    if org.state is OfficialState.MINOR:
        return A_MINOR() if article else MINOR()
    return QUOTED(text=org.text) if org.text else UNCLEAR()


def _official_problem(orgs: Sequence[OrgStatus], now: datetime | None, article: bool = False) -> Message:
    """'major disruption for Graph API and Facebook Login since 14:05'."""
    top = max(orgs, key=lambda o: (o.state is OfficialState.MAJOR, o.state is OfficialState.MINOR))
    said = names(o.name for o in orgs if o.state is top.state)
    words = official_words(top, article)
    starts = [o.since for o in orgs if o.since is not None]
    if starts:
        return PROBLEM_SINCE(words=words, names=said, since=Moment(min(starts), now))
    return PROBLEM(words=words, names=said)


def official_detail(watched: Sequence[OrgStatus], now: datetime | None = None) -> Message:
    """The official section's sentence: what Meta Status says about the business tools."""
    troubled = [o for o in watched if o.state.trouble]
    if not troubled:
        return NO_ISSUES()
    return CONFIRMS_DETAIL(problem=_official_problem(troubled, now))


def official_clause(
    official: OfficialStatus, troubled_ids: Sequence[str], covered: bool, now: datetime | None = None
) -> Message | str:
    """The sentence added to a Meta-trouble summary: Meta's word beside our own measurement."""
    if official.state is OfficialState.UNAVAILABLE:
        return ""
    confirming = official.troubled(troubled_ids)
    if confirming:
        return CONFIRMS(problem=_official_problem(confirming, now))
    elsewhere = official.troubled()  # about other business tools: related, perhaps, not a confirmation
    if elsewhere:
        return SHOWS(problem=_official_problem(elsewhere, now))
    if not covered:
        return NOT_ACKNOWLEDGED_UNLISTED()
    return NOT_ACKNOWLEDGED()


def working_but(
    watched: Sequence[str], reported: Sequence[OrgStatus], now: datetime | None = None
) -> Message:
    """The all-clear said with Meta Status disagreeing about services we watch: our probes see
    only what an anonymous visitor sees."""
    problem = _official_problem(reported, now, article=True)
    if len(watched) == 1:
        return ONE_WORKING_BUT(name=watched[0], problem=problem)
    if len(watched) == 2:
        return BOTH_WORKING_BUT(problem=problem)
    return ALL_WORKING_BUT(count=len(watched), problem=problem)
