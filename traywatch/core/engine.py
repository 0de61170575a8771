"""One round: every reference and service target probed concurrently under one deadline."""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime

from traywatch.core.catalogue import TargetSpec
from traywatch.core.config import Config
from traywatch.core.diagnosis import ServiceProbes, diagnose
from traywatch.core.models import OsHint, ProbeResult, ReferenceResult, RoundResult, ServiceResult
from traywatch.core.probe import ProbeContext, Progress, env_proxy_for, run_probe, timeout_result
from traywatch.core.resolver import Resolver, make_resolver
from traywatch.core.tls import make_ssl_context

log = logging.getLogger(__name__)

# Enough threads that lookups stuck in the OS resolver past a deadline never starve the next round.
_WORKERS = 64


class Engine:
    """Runs rounds. Thread-safe for one round at a time; reuse it, then close() it."""

    def __init__(
        self,
        config: Config,
        *,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        proxy_for: Callable[[str], str | None] | None = None,
    ) -> None:
        self.config = config
        self._ctx = ProbeContext(
            resolver=resolver or make_resolver(config.network.nameservers),
            ssl_context=ssl_context or make_ssl_context(config.network.ca_file),
            proxy_for=proxy_for or env_proxy_for,
            allow_local_addresses=config.network.allow_local_addresses,
        )
        self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="traywatch-probe")

    def run_round(
        self,
        skip: Mapping[str, ServiceResult] | None = None,
        os_hint: OsHint = OsHint.UNKNOWN,
    ) -> RoundResult:
        """Probe everything not in `skip` (services backing off keep their carried result)."""
        skip = skip or {}
        checked_at = datetime.now(UTC)
        budget = self.config.check.timeout_s
        start = time.monotonic()
        deadline = start + budget
        catalogue = self.config.catalogue

        jobs: list[tuple[TargetSpec, Progress, Future[ProbeResult]]] = []

        def submit(target: TargetSpec) -> int:
            progress = Progress()
            jobs.append(
                (target, progress, self._pool.submit(run_probe, target, self._ctx, deadline, progress))
            )
            return len(jobs) - 1

        ref_jobs = [(ref, submit(ref.target)) for ref in catalogue.references]
        svc_jobs = [
            (svc, [] if svc.id in skip else [submit(t) for t in svc.targets]) for svc in catalogue.services
        ]
        wait([f for _, _, f in jobs], timeout=max(0.0, deadline - time.monotonic()))

        results: list[ProbeResult] = []
        for target, progress, future in jobs:
            if future.done():
                results.append(future.result())
            else:
                future.cancel()
                results.append(timeout_result(target, progress, budget))

        references = tuple(ReferenceResult(ref.id, ref.provider, results[i]) for ref, i in ref_jobs)
        services = tuple(
            ServiceProbes(svc.id, svc.name, tuple(results[i] for i in idx), skip.get(svc.id))
            for svc, idx in svc_jobs
        )
        diagnosis = diagnose(references, services, self.config.check.slow_ms, os_hint)
        duration_ms = (time.monotonic() - start) * 1000.0
        log.debug("round: %s in %.0f ms", diagnosis.verdict, duration_ms)
        return RoundResult(
            verdict=diagnosis.verdict,
            summary=diagnosis.summary,
            internet=diagnosis.internet,
            services=diagnosis.services,
            references=references,
            checked_at=checked_at,
            duration_ms=duration_ms,
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
