"""One round: every reference and service target probed concurrently under one deadline.

With a Graph API token stored, the owner's signed-in check runs in the same round and feeds the
diagnosis. Meta Status is read on its own slower cadence by an OfficialStatusPoller: each round
carries its latest reading as evidence beside our measurement (never as the verdict), and a
round that finds our own internet working starts the next reading when one is due.
"""

from __future__ import annotations

import enum
import logging
import ssl
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, wait
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from traywatch.core.catalogue import TargetSpec
from traywatch.core.metastatus.poller import OfficialStatusPoller
from traywatch.core.metastatus.status import OfficialState, OfficialStatus
from traywatch.core.models import (
    InternetState,
    Layer,
    OsHint,
    ProbeResult,
    ReferenceResult,
    RoundResult,
    ServiceResult,
    ServiceState,
)
from traywatch.core.net.canary import canary_then_check
from traywatch.core.net.pool import DaemonThreadPool
from traywatch.core.net.probe import ProbeContext, Progress, env_proxy_for, run_probe, timeout_result
from traywatch.core.net.proxy_env import check_proxy_environment
from traywatch.core.net.resolver import Resolver, make_resolver
from traywatch.core.net.tls import make_ssl_context
from traywatch.core.settings.config import Config
from traywatch.core.signed_in.checker import DISABLED, OFF, AccountChecker
from traywatch.core.signed_in.status import AccountState, AccountStatus, GraphAnswer
from traywatch.core.verdict.diagnosis import GRAPH_API, ServiceProbes, diagnose, with_official
from traywatch.i18n import Decimal, Template

log = logging.getLogger(__name__)
OFFICIAL_NOT_CHECKED = Template("official.own_internet_down", "not checked: your own internet is not working")
OFFICIAL_LATE = Template("official.late", "Meta Status did not answer within {seconds} s")
ACCOUNT_LATE = Template("account.late", "signed-in requests to Meta's API did not finish within {seconds} s")

_TROUBLE = (ServiceState.DOWN, ServiceState.DEGRADED)
_OFFICIAL_OFF = OfficialStatus.unavailable(
    Template("official.off", "Meta Status checks are turned off ([official] enabled = false)")()
)

# Enough threads that lookups stuck in the OS resolver past a deadline never starve the next round.
_WORKERS = 64


class FromConfig(enum.Enum):
    """Default of the Engine's `official` / `account`: build them as the config says."""

    DEFAULT = "from config"


FROM_CONFIG = FromConfig.DEFAULT


class Engine:
    """Runs rounds. Thread-safe for one round at a time; reuse it, then close() it."""

    def __init__(
        self,
        config: Config,
        *,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        proxy_for: Callable[[str], str | None] | None = None,
        official: OfficialStatusPoller | FromConfig | None = FROM_CONFIG,
        account: AccountChecker | FromConfig | None = FROM_CONFIG,
    ) -> None:
        """`official` / `account`: by default built from the config (`[official]`, `[account]`
        sections, same TLS and resolver as the probes); None switches them off."""
        self.config = config
        if proxy_for is None:
            check_proxy_environment()  # a broken HTTPS_PROXY: ConfigError naming it, before any probe
        self._ctx = ProbeContext(
            resolver=resolver or make_resolver(config.network.nameservers),
            ssl_context=ssl_context or make_ssl_context(config.network.ca_file),
            proxy_for=proxy_for or env_proxy_for,
            allow_local_addresses=config.network.allow_local_addresses,
        )
        # daemon threads: a lookup stuck in the OS resolver must not hold the process at exit
        self._pool = DaemonThreadPool(max_workers=_WORKERS, thread_name_prefix="traywatch-probe")
        if isinstance(official, FromConfig):
            official = OfficialStatusPoller.from_config(config, self._ctx.ssl_context, self._ctx.resolver)
        if isinstance(account, FromConfig):
            account = AccountChecker.from_config(config, self._ctx.ssl_context, self._ctx.resolver)
        if official is not None:
            official.pool = self._pool  # Meta Status is read on the probe pool, not a thread a poll
        self.official = official
        self.account = account
        self._last_account: AccountStatus | None = None
        self._meta_trouble = False  # the last round saw a Meta service failing

    def run_round(
        self,
        skip: Mapping[str, ServiceResult] | None = None,
        os_hint: OsHint = OsHint.UNKNOWN,
        canaries: Collection[str] = (),
        *,
        deadline: float | None = None,
        on_reference_ok: Callable[[], object] | None = None,
    ) -> RoundResult:
        """Probe everything not in `skip` (services backing off keep their carried result); the
        skipped services in `canaries` get a canary, and their full check when it gets through.

        The round ends by `deadline` (time.monotonic(); default: `[check] timeout` from now),
        whatever is still waiting. `on_reference_ok` is called (from a probe thread) as soon as a
        reference answers, i.e. as soon as our own internet is known to work."""
        skip = skip or {}
        checked_at = datetime.now(UTC)
        start = time.monotonic()
        deadline = start + self.config.check.timeout_s if deadline is None else deadline
        budget = max(0.0, deadline - start)
        catalogue = self.config.catalogue

        jobs: list[tuple[TargetSpec, Progress, Future[ProbeResult]]] = []

        def submit(target: TargetSpec) -> int:
            progress = Progress()
            jobs.append(
                (target, progress, self._pool.submit(run_probe, target, self._ctx, deadline, progress))
            )
            return len(jobs) - 1

        ref_jobs = [(ref, submit(ref.target)) for ref in catalogue.references]
        if on_reference_ok is not None:
            _when_any_ok([jobs[i][2] for _, i in ref_jobs], on_reference_ok)
        svc_jobs = [
            (svc, [] if svc.id in skip else [submit(t) for t in svc.targets]) for svc in catalogue.services
        ]
        canary_jobs = {
            svc.id: self._pool.submit(canary_then_check, svc, skip[svc.id], self._ctx, deadline)
            for svc in catalogue.services
            if svc.id in skip and svc.id in canaries and svc.targets
        }
        signed_in = self._start_account_check(skip, budget)
        pending: list[Future[Any]] = [f for _, _, f in jobs] + list(canary_jobs.values())
        if signed_in is not None:
            pending.append(signed_in)
        wait(pending, timeout=max(0.0, deadline - time.monotonic()))

        results: list[ProbeResult] = []
        for target, progress, future in jobs:
            if future.done():
                results.append(future.result())
            else:
                future.cancel()
                results.append(timeout_result(target, progress, budget))

        references = tuple(ReferenceResult(ref.id, ref.provider, results[i]) for ref, i in ref_jobs)
        rechecked = {sid: probes for sid, f in canary_jobs.items() if (probes := _finished(f)) is not None}
        services = tuple(
            ServiceProbes(
                svc.id,
                svc.name,
                rechecked[svc.id] if svc.id in rechecked else tuple(results[i] for i in idx),
                None if svc.id in rechecked else skip.get(svc.id),
                {t.url: t.fallback_port for t in svc.targets if t.fallback_port},
            )
            for svc, idx in svc_jobs
        )
        account = self._account_result(signed_in, budget)
        diagnosis = diagnose(references, services, self.config.check.slow_ms, os_hint, account)
        self._meta_trouble = any(s.state in _TROUBLE for s in diagnosis.services)
        duration_ms = (time.monotonic() - start) * 1000.0
        log.debug("round: %s in %.0f ms", diagnosis.verdict, duration_ms)
        rnd = RoundResult(
            verdict=diagnosis.verdict,
            summary=diagnosis.summary,
            internet=diagnosis.internet,
            services=diagnosis.services,
            references=references,
            checked_at=checked_at,
            duration_ms=duration_ms,
            account=diagnosis.account,
        )
        if self.official is None:
            return with_official(rnd, _OFFICIAL_OFF)
        rnd = with_official(rnd, self.official.current())
        if rnd.internet.state is InternetState.UP:
            self.official.poll_in_background()  # when due; never while our own internet is at fault
        return rnd

    def check_once(self, deadline: float | None = None) -> RoundResult:
        """A one-shot check (`traywatch check`): one round and a fresh Meta Status reading, both
        ended by one deadline (default: `[check] timeout` from now). Meta Status is asked as soon
        as a reference answers, in parallel with the rest of the round, so a silent Meta (whose
        probes use the whole budget) cannot make the reading wait a second budget."""
        deadline = time.monotonic() + self.config.check.timeout_s if deadline is None else deadline
        official = self.official
        early = None if official is None else official.poll_in_background
        rnd = self.run_round(deadline=deadline, on_reference_ok=early)
        return self.with_fresh_official(rnd, deadline=deadline)

    def with_fresh_official(
        self, rnd: RoundResult, timeout_s: float | None = None, *, deadline: float | None = None
    ) -> RoundResult:
        """For one-shot checks: wait (bounded: `timeout_s`, or until `deadline`) for a Meta Status
        reading, and show it. Meta Status is not shown while our own internet is at fault."""
        if self.official is None or rnd.official is None or rnd.official.checked_at is not None:
            return rnd
        if rnd.internet.state is not InternetState.UP:
            status = OfficialStatus.unavailable(OFFICIAL_NOT_CHECKED())
        else:
            self.official.poll_in_background()  # unless the round already started it
            if deadline is not None:
                timeout = max(0.0, deadline - time.monotonic())
                allowed = self.config.check.timeout_s
            else:
                timeout = allowed = self.config.check.timeout_s if timeout_s is None else timeout_s
            self.official.wait(timeout)
            status = self.official.current()
            if (
                status.checked_at is None
                and status.state is OfficialState.UNAVAILABLE
                and self.official.due()
            ):
                status = OfficialStatus.unavailable(OFFICIAL_LATE(seconds=Decimal(allowed, 0)))
        return with_official(replace(rnd, official=None), status)

    # -- the signed-in check -------------------------------------------------------------------
    def _start_account_check(
        self, skip: Mapping[str, ServiceResult], budget: float
    ) -> Future[AccountStatus] | None:
        if self.account is None or GRAPH_API in skip or not self.account.configured:
            return None  # while the Graph API backs off, so does the signed-in call
        # every round while Meta is failing; else the checker keeps to `[account] interval`
        return self._pool.submit(self.account.check, budget, self._meta_trouble)

    def _account_result(self, future: Future[AccountStatus] | None, budget: float) -> AccountStatus:
        if self.account is None:
            return DISABLED
        if future is None:
            if not self.account.configured:
                return OFF
            return self._last_account or OFF  # skipped while the Graph API backs off: carried
        if future.done():
            status = future.result()
        else:
            future.cancel()
            detail = ACCOUNT_LATE(seconds=Decimal(budget, 0))
            graph = GraphAnswer(AccountState.API_DOWN, detail, layer=Layer.HTTP)
            status = AccountStatus(AccountState.API_DOWN, detail, graph=graph, checked_at=datetime.now(UTC))
        self._last_account = status
        return status

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for part in (self.official, self.account):
            if part is not None:
                part.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _when_any_ok(futures: list[Future[ProbeResult]], call: Callable[[], object]) -> None:
    """Call `call` once, when the first of these probes succeeds (from the probe's thread)."""
    lock = threading.Lock()
    called = False

    def done(future: Future[ProbeResult]) -> None:
        nonlocal called
        if future.cancelled() or future.exception() is not None or not future.result().ok:
            return
        with lock:
            if called:
                return
            called = True
        try:
            call()
        except Exception:  # a callback's bug must not be lost in a probe thread
            log.exception("starting work after the first reference answered failed")

    for future in futures:
        future.add_done_callback(done)


def _finished(future: Future[tuple[ProbeResult, ...] | None]) -> tuple[ProbeResult, ...] | None:
    """A canary job's probes when it got through and finished before the deadline (else the
    carried result stands: a full check cut short by the deadline proves nothing)."""
    if not future.done():
        future.cancel()
        return None
    return future.result()
