"""Tests for the retry policy in templates/sdk/_runtime/retries.py."""

import dataclasses
import importlib
import sys
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "templates" / "sdk") not in sys.path:
    sys.path.insert(0, str(ROOT / "templates" / "sdk"))

retries = importlib.import_module("_runtime.retries")
BackoffStrategy = retries.BackoffStrategy
RetryConfig = retries.RetryConfig
RetryState = retries.RetryState
StatusMatcher = retries.StatusMatcher
is_idempotent = retries.is_idempotent
parse_retry_after = retries.parse_retry_after

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


def fixed(value: float):
    """A deterministic stand-in for random.random."""
    return lambda: value


# --- configuration -----------------------------------------------------------------


def test_defaults() -> None:
    config = RetryConfig()
    assert config.strategy == "backoff"
    assert config.backoff == BackoffStrategy(500, 60_000, 1.5, 3_600_000)
    assert config.retry_connection_errors is True
    assert config.status_codes == ("429", "500", "502", "503", "504")
    assert config.max_attempts is None
    assert config.retry_non_idempotent is False
    assert config.respect_retry_after is True


def test_positional_construction_like_reference_sdk() -> None:
    config = RetryConfig("backoff", BackoffStrategy(1, 50, 1.1, 100), False)
    assert config.backoff.initial_interval == 1
    assert config.backoff.max_interval == 50
    assert config.backoff.exponent == 1.1
    assert config.backoff.max_elapsed_time == 100
    assert config.retry_connection_errors is False


def test_config_is_frozen_hashable_and_compares_by_fields() -> None:
    config = RetryConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.strategy = "none"  # type: ignore[misc]
    assert config == RetryConfig()
    assert hash(config) == hash(RetryConfig())
    assert "matcher" not in repr(config)


def test_replace_recomputes_matcher() -> None:
    config = dataclasses.replace(RetryConfig(), status_codes=("418",))
    assert config.retries_status(418)
    assert not config.retries_status(500)


def test_int_status_codes_are_normalised() -> None:
    config = RetryConfig(status_codes=(429, "5xx"))  # type: ignore[arg-type]
    assert config.status_codes == ("429", "5xx")
    assert config.retries_status(429) and config.retries_status(599)


@pytest.mark.parametrize(
    "kwargs",
    [{"strategy": "exponential"}, {"max_attempts": 0}, {"status_codes": ("6XX",)}],
)
def test_invalid_config(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryConfig(**kwargs)  # type: ignore[arg-type]


def test_from_mapping_full_shape() -> None:
    config = RetryConfig.from_mapping(
        {
            "strategy": "backoff",
            "backoff": {
                "initialInterval": 250,
                "maxInterval": 30_000,
                "exponent": 2,
                "maxElapsedTime": 600_000,
                "somethingElse": True,
            },
            "statusCodes": [429, "5XX", "408"],
            "retryConnectionErrors": False,
            "x-unknown": 1,
        }
    )
    assert config.backoff == BackoffStrategy(250, 30_000, 2.0, 600_000)
    assert config.status_codes == ("429", "5XX", "408")
    assert config.retry_connection_errors is False
    assert config.retries_status(408) and config.retries_status(503)
    assert not config.retries_status(404)


def test_from_mapping_minimal_uses_defaults() -> None:
    config = RetryConfig.from_mapping({"strategy": "backoff"})
    assert config == RetryConfig()


def test_from_mapping_none_strategy() -> None:
    config = RetryConfig.from_mapping({"strategy": "none"})
    assert not config.enabled
    assert RetryState(config, 0.0).next_delay(0.0, None) is None


# --- status matching ---------------------------------------------------------------


def test_status_matcher_exact_and_classes() -> None:
    matcher = StatusMatcher(("429", "5XX", "3xx"))
    assert matcher.matches(429)
    assert not matcher.matches(428)
    for status in (500, 503, 599, 300, 304):
        assert matcher.matches(status)
    for status in (200, 404, 600, 99, 0):
        assert not matcher.matches(status)


def test_status_matcher_accepts_ints() -> None:
    assert StatusMatcher([503]).matches(503)


@pytest.mark.parametrize("pattern", ["", "42", "4291", "600", "099", "5X", "6XX", "5YY", "abc"])
def test_status_matcher_rejects_invalid_patterns(pattern: str) -> None:
    with pytest.raises(ValueError):
        StatusMatcher((pattern,))


# --- methods -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "get"])
def test_idempotent_methods(method: str) -> None:
    assert is_idempotent(method)


@pytest.mark.parametrize("method", ["POST", "PATCH", "CONNECT", "post"])
def test_non_idempotent_methods(method: str) -> None:
    assert not is_idempotent(method)


def test_allows_method() -> None:
    config = RetryConfig()
    assert config.allows_method("GET")
    assert not config.allows_method("POST")
    assert config.allows_method("POST", has_idempotency_key=True)
    assert RetryConfig(retry_non_idempotent=True).allows_method("PATCH")


# --- Retry-After -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "2.5"}, 0.0025),
        ({"Retry-After-Ms": "100", "Retry-After": "9"}, 0.1),
        ({"retry-after": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"RETRY-AFTER": " 3 "}, 3.0),
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after-ms": "-4"}, 0.0),
        # IMF-fixdate, RFC 850 and asctime for NOW + 120 s.
        ({"retry-after": "Tue, 14 Nov 2023 22:15:20 GMT"}, 120.0),
        ({"retry-after": "Tuesday, 14-Nov-23 22:15:20 GMT"}, 120.0),
        ({"retry-after": "Tue Nov 14 22:15:20 2023"}, 120.0),
        ({"retry-after": "Tue, 14 Nov 2023 22:10:00 GMT"}, 0.0),  # in the past
        ({"retry-after-ms": "soon", "retry-after": "2"}, 2.0),  # bad ms: fall back
        ({"retry-after": "soon"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "1_000"}, None),
        ({"retry-after": "\u0663"}, None),  # Arabic-Indic digit three
        ({"retry-after": "Tue, 99 Nov 2023 22:15:20 GMT"}, None),
        ({"content-type": "text/plain"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    result = parse_retry_after(headers, NOW)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_parse_retry_after_with_httpx_headers() -> None:
    headers = httpx.Headers({"Retry-After": "5", "X-Other": "1"})
    assert parse_retry_after(headers, NOW) == 5.0
    headers = httpx.Headers({"Retry-After-MS": "250"})
    assert parse_retry_after(headers, NOW) == 0.25


# --- delays ------------------------------------------------------------------------


def test_backoff_delays_are_exact_full_jitter() -> None:
    config = RetryConfig(backoff=BackoffStrategy(100, 1_000, 2.0, 3_600_000))
    state = RetryState(config, start=0.0)
    assert state.attempts == 1
    delays = [state.next_delay(0.0, None, fixed(0.5)) for _ in range(6)]
    # caps: 100, 200, 400, 800, 1000 (max_interval), 1000 ms; half of each.
    assert delays == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.5, 0.5])
    assert state.attempts == 7


def test_backoff_with_fractional_exponent() -> None:
    state = RetryState(RetryConfig(backoff=BackoffStrategy(500, 60_000, 1.5)), 0.0)
    assert state.next_delay(0.0, None, fixed(1.0)) == pytest.approx(0.5)
    assert state.next_delay(0.0, None, fixed(1.0)) == pytest.approx(0.75)
    assert state.next_delay(0.0, None, fixed(0.25)) == pytest.approx(0.28125)


def test_zero_jitter_gives_zero_delay() -> None:
    state = RetryState(RetryConfig(), 0.0)
    assert state.next_delay(0.0, None, fixed(0.0)) == 0.0


def test_max_attempts_counts_the_first_attempt() -> None:
    state = RetryState(RetryConfig(max_attempts=3), 0.0)
    assert state.next_delay(0.0, None, fixed(0.1)) is not None
    assert state.next_delay(0.0, None, fixed(0.1)) is not None
    assert state.attempts == 3
    assert state.next_delay(0.0, None, fixed(0.1)) is None
    assert state.attempts == 3


def test_max_attempts_one_never_retries() -> None:
    assert RetryState(RetryConfig(max_attempts=1), 0.0).next_delay(0.0, None) is None


def test_strategy_none_never_retries() -> None:
    state = RetryState(RetryConfig(strategy="none"), 0.0)
    assert state.next_delay(0.0, None, fixed(0.5)) is None
    assert state.next_delay(0.0, 1.0) is None


def test_time_budget_is_counted_from_start() -> None:
    config = RetryConfig(backoff=BackoffStrategy(1_000, 1_000, 1.0, 10_000))
    state = RetryState(config, start=100.0)
    # now + delay - start == 10 s exactly: still allowed.
    assert state.next_delay(109.0, None, fixed(1.0)) == pytest.approx(1.0)
    # 10.5 s would be past the budget.
    assert state.next_delay(109.5, None, fixed(1.0)) is None
    assert state.attempts == 2  # a refused retry is not counted
    # A shorter jittered delay that still fits is allowed.
    assert state.next_delay(109.5, None, fixed(0.5)) == pytest.approx(0.5)


def test_retry_after_is_honoured_beyond_max_interval() -> None:
    config = RetryConfig(backoff=BackoffStrategy(100, 1_000, 2.0, 60_000))
    state = RetryState(config, 0.0)
    assert state.next_delay(0.0, 30.0, fixed(0.5)) == 30.0
    assert state.next_delay(0.0, -3.0, fixed(0.5)) == 0.0
    assert state.attempts == 3


def test_retry_after_beyond_budget_gives_up() -> None:
    config = RetryConfig(backoff=BackoffStrategy(100, 1_000, 2.0, 60_000))
    state = RetryState(config, 0.0)
    assert state.next_delay(10.0, 51.0) is None
    assert state.next_delay(10.0, 50.0) == 50.0


def test_retry_after_ignored_when_not_respected() -> None:
    config = RetryConfig(
        backoff=BackoffStrategy(100, 1_000, 2.0, 60_000), respect_retry_after=False
    )
    state = RetryState(config, 0.0)
    assert state.next_delay(0.0, 30.0, fixed(0.5)) == pytest.approx(0.05)


def test_huge_attempt_count_does_not_overflow() -> None:
    config = RetryConfig(backoff=BackoffStrategy(1, 5, 1.5, 10**12))
    state = RetryState(config, 0.0)
    state.attempts = 100_000
    assert state.next_delay(0.0, None, fixed(1.0)) == pytest.approx(0.005)


@given(
    initial=st.integers(0, 10_000),
    maximum=st.integers(0, 100_000),
    exponent=st.floats(1.0, 10.0),
    attempts=st.integers(1, 3_000),
    jitter=st.floats(0.0, 1.0, exclude_max=True),
    now=st.floats(0.0, 3_400.0),
)
def test_delay_stays_within_cap_and_budget(
    initial: int,
    maximum: int,
    exponent: float,
    attempts: int,
    jitter: float,
    now: float,
) -> None:
    config = RetryConfig(backoff=BackoffStrategy(initial, maximum, exponent, 3_600_000))
    state = RetryState(config, 0.0)
    state.attempts = attempts
    delay = state.next_delay(now, None, fixed(jitter))
    assert delay is not None  # now + max 100 s never leaves the one-hour budget
    assert 0.0 <= delay <= maximum / 1000.0
    assert state.attempts == attempts + 1


def test_from_mapping_max_attempts_extension() -> None:
    config = RetryConfig.from_mapping({"strategy": "backoff", "maxAttempts": 2})
    assert config.max_attempts == 2
    state = RetryState(config, 0.0)
    assert state.next_delay(0.0, None, fixed(0.5)) is not None
    assert state.next_delay(0.0, None, fixed(0.5)) is None
