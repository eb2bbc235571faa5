"""One computation per edit: equivalent queries share a cached page, and concurrent misses compute it once,
in one process (local memory) and across processes (Redis, when REDIS_URL is set; CI always sets it)."""

import multiprocessing
import os
import threading
import time

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client

from carriers import views
from carriers.caching import computed_once
from tests.factories import CarrierFactory, CountryFactory, EquipmentUseFactory, VendorFactory


def computed(response):
    """Whether the page was rendered for this request (a cache hit renders no template)."""
    assert response.status_code == 200
    return response.context is not None


@pytest.fixture
def listed(db):
    korea, usa = CountryFactory(code="KR"), CountryFactory(code="US")
    huawei = VendorFactory(slug="huawei")
    EquipmentUseFactory(carrier=CarrierFactory(country=korea), vendor=huawei)
    CarrierFactory(country=usa)


@pytest.mark.parametrize(
    "spelling",
    [
        "?country=KR&vendor=huawei&page=",
        "?vendor=huawei&country=KR&page=1&page_size=50",
        "?country=KR&q=&vendor=huawei&initiative=",
        "?vendor=huawei&targeted=&country=KR&ordering=",
    ],
)
def test_equivalent_queries_share_one_cached_page(client, listed, spelling):
    assert computed(client.get("/carriers/?vendor=huawei&country=KR"))
    assert not computed(client.get(f"/carriers/{spelling}"))


def test_the_order_of_repeated_choices_does_not_matter(client, listed):
    assert computed(client.get("/equipment/?country=KR&country=US&segment=core&segment=ran"))
    assert not computed(client.get("/equipment/?segment=ran&country=US&segment=core&country=KR"))


@pytest.mark.parametrize(
    "other",
    [
        "?vendor=huawei&country=US",
        "?vendor=huawei",
        "?vendor=huawei&country=KR&country=US",
        "?vendor=huawei&country=KR&page_size=1",
        "?vendor=huawei&country=KR&ordering=-name",
    ],
)
def test_different_filters_paging_or_sorting_get_their_own_page(client, listed, other):
    assert computed(client.get("/carriers/?vendor=huawei&country=KR"))
    assert computed(client.get(f"/carriers/{other}"))


def test_sort_columns_keep_their_order_in_the_key(client, listed):
    assert computed(client.get("/carriers/?ordering=name,country"))
    assert computed(client.get("/carriers/?ordering=country,name"))


def in_threads(count, work):
    """Run `work` in `count` threads started together; their results, in order."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(index):
        barrier.wait()
        try:
            results[index] = work()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def slow_counted(calls, value, seconds=0.2):
    def compute():
        calls.append(1)
        time.sleep(seconds)
        return value

    return compute


def test_concurrent_misses_compute_a_value_once(db):
    calls = []
    results = in_threads(16, lambda: computed_once("shared-cache-test", slow_counted(calls, 42)))
    assert results == [42] * 16
    assert len(calls) == 1


def test_a_value_stored_between_the_first_look_and_the_lock_is_not_computed_again(db, monkeypatch):
    add = cache.add

    def add_after_another_worker_stored_it(key, *args, **kwargs):
        cache.set("shared-cache-race", "theirs")  # another worker computed it just before we take the lock
        return add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add_after_another_worker_stored_it)
    assert computed_once("shared-cache-race", lambda: "ours") == "theirs"
    assert cache.get("shared-cache-race:computing") is None


def test_a_value_not_kept_is_computed_by_each_waiter_after_the_first(db):
    calls = []
    results = in_threads(4, lambda: computed_once("shared-cache-none", slow_counted(calls, None, 0.05)))
    assert results == [None] * 4
    assert len(calls) == 4


def test_a_lock_left_by_a_dead_holder_expires_and_the_waiter_computes(db):
    cache.add("shared-cache-dead:computing", "a worker that died", timeout=1)
    started = time.monotonic()
    assert computed_once("shared-cache-dead", lambda: 7) == 7
    assert 0.5 < time.monotonic() - started < 10


def test_sixteen_clients_right_after_an_edit_compute_the_page_once(transactional_db, client, monkeypatch):
    CarrierFactory.create_batch(3, country=CountryFactory(code="KR"))
    assert computed(client.get("/carriers/?country=KR"))
    CarrierFactory(country=CountryFactory(code="KR"))  # an edit: a new data version

    renders, render = [], views.render

    def counted_render(request, template_name, *args, **kwargs):
        if template_name == "carriers/carrier_list.html":
            renders.append(1)
            time.sleep(0.2)  # a slow page: the others arrive while it is computed
        return render(request, template_name, *args, **kwargs)

    monkeypatch.setattr(views, "render", counted_render)
    responses = in_threads(16, lambda: Client().get("/carriers/?country=KR"))
    assert [response.status_code for response in responses] == [200] * 16
    assert len({response.content for response in responses}) == 1
    assert b"Carrier" in responses[0].content
    assert len(renders) == 1


needs_redis = pytest.mark.redis


@pytest.fixture
def redis_cache():
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI runs the shared-cache tests against Redis: set REDIS_URL (see .ci/run).")
        pytest.skip("REDIS_URL is not set")
    return caches["default"]


@needs_redis
def test_redis_url_makes_the_default_cache_redis(redis_cache):
    assert type(redis_cache).__name__ == "RedisCache"
    redis_cache.set("shared-cache-probe", b"seen", timeout=10)
    assert redis_cache.get("shared-cache-probe") == b"seen"


def compute_in_process(calls, started):
    """In a child process: wait for the others, then ask for the value."""
    caches.close_all()  # a fresh client: a forked one shares the parent's sockets
    started.wait()

    def compute():
        with calls.get_lock():
            calls.value += 1
        time.sleep(0.3)
        return "page"

    assert computed_once("shared-cache-processes", compute) == "page"


@needs_redis
def test_concurrent_misses_in_several_processes_compute_once(redis_cache):
    context = multiprocessing.get_context("fork")
    calls, started = context.Value("i", 0), context.Event()
    processes = [context.Process(target=compute_in_process, args=(calls, started)) for _ in range(6)]
    for process in processes:
        process.start()
    started.set()
    for process in processes:
        process.join(timeout=60)
    assert [process.exitcode for process in processes] == [0] * 6
    assert calls.value == 1
