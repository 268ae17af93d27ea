"""The response cache keeps one generation, within its bounds, least recently used out."""

from caseflow.public.cache import Entry, ResponseCache


def _entry(size: int) -> Entry:
    return Entry(body=b"x" * size, mimetype="text/html", etag="e", headers=())


def test_a_newer_generation_empties_the_cache_and_an_older_one_is_not_kept():
    cache = ResponseCache()
    cache.put(1, ("a",), _entry(10), limit=10, max_bytes=1000)
    assert cache.get(1, ("a",)) is not None
    assert cache.get(2, ("a",)) is None  # a change since: never served
    cache.put(2, ("b",), _entry(10), limit=10, max_bytes=1000)
    assert cache.get(1, ("a",)) is None and cache.get(2, ("a",)) is None
    # A page rendered before the change finishes late: it is not cached over newer ones.
    cache.put(1, ("a",), _entry(10), limit=10, max_bytes=1000)
    assert cache.get(2, ("a",)) is None and cache.get(2, ("b",)) is not None


def test_the_least_recently_used_leave_first_by_count_and_by_size():
    cache = ResponseCache()
    for key in "abc":
        cache.put(1, (key,), _entry(100), limit=3, max_bytes=300)
    cache.get(1, ("a",))  # used: "b" is now the oldest
    cache.put(1, ("d",), _entry(100), limit=3, max_bytes=300)
    assert [cache.get(1, (k,)) is not None for k in "abcd"] == [True, False, True, True]
    cache.put(1, ("e",), _entry(250), limit=3, max_bytes=300)
    assert [cache.get(1, (k,)) is not None for k in "acde"] == [False, False, False, True]
