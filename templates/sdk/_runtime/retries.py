"""Retry policy: which failures to retry and how long to wait before the next one.

Pure decisions only: nothing here sleeps, reads a clock or does I/O. The transport
passes the current time in, which keeps every rule testable with fixed numbers.
"""

import calendar
import math
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = [
    "BackoffStrategy",
    "RetryConfig",
    "RetryState",
    "StatusMatcher",
    "is_idempotent",
    "parse_retry_after",
]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
_STRATEGIES = frozenset({"backoff", "none"})
# Plain ASCII decimals only: float() would also take "1_000", "inf", "nan" and "٣".
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# "429" (any code 100-599) or a class such as "5XX"/"5xx"; compiled once, used at setup.
_STATUS_PATTERN = re.compile(r"([1-5])(?:[0-9]{2}|[xX]{2})")


class StatusMatcher:
    """Status codes given as exact codes ("429") or classes ("5XX"); O(1) lookups."""

    __slots__ = ("_classes", "_exact")

    def __init__(self, patterns: Iterable[str | int]) -> None:
        exact: set[int] = set()
        classes: set[int] = set()
        for raw in patterns:
            match = _STATUS_PATTERN.fullmatch(str(raw).strip())
            if match is None:
                raise ValueError(
                    f"invalid status code pattern {raw!r}; use e.g. '429' or '5XX'"
                )
            if match.group(0)[1:].isdigit():
                exact.add(int(match.group(0)))
            else:
                classes.add(int(match.group(1)))
        self._exact = frozenset(exact)
        self._classes = frozenset(classes)

    def matches(self, status: int) -> bool:
        """True when status is one of the exact codes or falls in one of the classes."""
        return status in self._exact or status // 100 in self._classes

    def __repr__(self) -> str:
        exact, classes = sorted(self._exact), sorted(self._classes)
        return f"StatusMatcher(exact={exact}, classes={classes})"


@dataclass(frozen=True, slots=True)
class BackoffStrategy:
    """Exponential backoff with full jitter; every value is in milliseconds.

    The n-th retry (n = 1, 2, ...) waits a random time in
    ``[0, min(max_interval, initial_interval * exponent ** (n - 1)))``, and no retry
    may start after ``max_elapsed_time`` has passed since the first attempt began.
    """

    initial_interval: int = 500
    max_interval: int = 60_000
    exponent: float = 1.5
    max_elapsed_time: int = 3_600_000


@dataclass(frozen=True, slots=True)
class RetryConfig:
    """What to retry and how; by default 429, 5xx and connection errors, with backoff.

    ``status_codes`` holds exact codes ("429") or classes ("5XX", "5xx"); ints are
    accepted and converted. ``max_attempts`` counts every attempt including the first
    (None: only the time budget limits). Non-idempotent methods (POST, PATCH, ...) are
    retried only when ``retry_non_idempotent`` is true or the request carries an
    idempotency key.
    """

    strategy: str = "backoff"
    backoff: BackoffStrategy = BackoffStrategy()
    retry_connection_errors: bool = True
    status_codes: tuple[str, ...] = ("429", "500", "502", "503", "504")
    max_attempts: int | None = None
    retry_non_idempotent: bool = False
    respect_retry_after: bool = True
    # Derived once so that a request only does set lookups; not part of eq/hash/repr.
    matcher: StatusMatcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.strategy not in _STRATEGIES:
            raise ValueError(
                f"unknown retry strategy {self.strategy!r}; use 'backoff' or 'none'"
            )
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError(
                f"max_attempts must be at least 1, got {self.max_attempts}"
            )
        codes = tuple(str(code) for code in self.status_codes)
        object.__setattr__(self, "status_codes", codes)
        object.__setattr__(self, "matcher", StatusMatcher(codes))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "RetryConfig":
        """Build from the ``x-speakeasy-retries`` shape; unknown keys are ignored.

        ``maxAttempts`` (an ``x-sdkforge-retries`` addition) limits the attempts.
        """
        backoff_data: Mapping[str, Any] = data.get("backoff") or {}
        default = BackoffStrategy()
        backoff = BackoffStrategy(
            initial_interval=int(
                backoff_data.get("initialInterval", default.initial_interval)
            ),
            max_interval=int(backoff_data.get("maxInterval", default.max_interval)),
            exponent=float(backoff_data.get("exponent", default.exponent)),
            max_elapsed_time=int(
                backoff_data.get("maxElapsedTime", default.max_elapsed_time)
            ),
        )
        kwargs: dict[str, Any] = {
            "strategy": str(data.get("strategy", "backoff")),
            "backoff": backoff,
            "retry_connection_errors": bool(data.get("retryConnectionErrors", True)),
        }
        if "statusCodes" in data:
            kwargs["status_codes"] = tuple(str(code) for code in data["statusCodes"])
        if data.get("maxAttempts") is not None:
            kwargs["max_attempts"] = int(data["maxAttempts"])
        return cls(**kwargs)

    @property
    def enabled(self) -> bool:
        """True unless the strategy is "none"."""
        return self.strategy == "backoff"

    def retries_status(self, status: int) -> bool:
        """True when a response with this status code may be retried."""
        return self.matcher.matches(status)

    def allows_method(self, method: str, has_idempotency_key: bool = False) -> bool:
        """True when a request with this method may be sent again at all."""
        return self.retry_non_idempotent or has_idempotency_key or is_idempotent(method)


def is_idempotent(method: str) -> bool:
    """True for RFC 9110 idempotent methods: GET, HEAD, OPTIONS, PUT, DELETE, TRACE."""
    return method.upper() in _IDEMPOTENT_METHODS


def _header(headers: Mapping[str, str], lower_name: str) -> str | None:
    """Case-insensitive header lookup, also for plain dicts with any key case."""
    value = headers.get(lower_name)
    if value is not None:
        return value
    # Only reached when deciding a retry, so the linear scan never costs a normal call.
    for key, candidate in headers.items():
        if key.lower() == lower_name:
            return candidate
    return None


def _decimal(text: str) -> float | None:
    """The number in text if it is a plain finite decimal, else None."""
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    return float(text)


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds the server asks us to wait, or None when it gives no usable hint.

    ``retry-after-ms`` (milliseconds, fractions allowed) wins over ``Retry-After``,
    which may be delta-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime) taken
    relative to ``now`` (epoch seconds; a date without a zone is read as UTC).
    Negative results become 0; unparsable values count as absent.
    """
    millis = _header(headers, "retry-after-ms")
    if millis is not None:
        value = _decimal(millis)
        if value is not None:
            return max(value / 1000.0, 0.0)
    text = _header(headers, "retry-after")
    if text is None:
        return None
    seconds = _decimal(text)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # utctimetuple() reads a naive datetime as UTC, as HTTP-dates are.
    return max(calendar.timegm(moment.utctimetuple()) - now, 0.0)


class RetryState:
    """Retry bookkeeping for one logical request: attempts made and when it began.

    Create it when the first attempt starts; ``attempts`` is then 1. Each call of
    :meth:`next_delay` that returns a delay counts one more attempt.
    """

    __slots__ = ("attempts", "config", "start")

    def __init__(self, config: RetryConfig, start: float) -> None:
        self.config = config
        self.start = start
        self.attempts = 1

    def next_delay(
        self,
        now: float,
        retry_after: float | None,
        rand: Callable[[], float] = random.random,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when no attempt is left.

        None when the strategy is "none", when ``attempts`` already reached
        ``max_attempts``, or when ``now + delay`` would be later than
        ``start + max_elapsed_time``. The delay is ``max(retry_after, 0)`` when a server
        hint is given and honoured (not capped by ``max_interval``), otherwise
        ``rand() * min(max_interval, initial_interval * exponent ** (attempts - 1))``
        milliseconds. A returned delay increments ``attempts``.
        """
        config = self.config
        if config.strategy != "backoff":
            return None
        if config.max_attempts is not None and self.attempts >= config.max_attempts:
            return None
        backoff = config.backoff
        if retry_after is not None and config.respect_retry_after:
            delay = max(retry_after, 0.0)
        else:
            delay = rand() * _cap_ms(backoff, self.attempts - 1) / 1000.0
        if now + delay - self.start > backoff.max_elapsed_time / 1000.0:
            return None
        self.attempts += 1
        return delay


def _cap_ms(backoff: BackoffStrategy, retries_done: int) -> float:
    """Upper bound in ms of the jittered delay after retries_done earlier retries."""
    try:
        grown = backoff.initial_interval * backoff.exponent**retries_done
    except OverflowError:
        # Long budgets with tiny intervals can reach exponents a float cannot hold.
        grown = math.inf
    return min(float(backoff.max_interval), grown)
